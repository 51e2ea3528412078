# An exception that __exit__ does not suppress propagates.
class Closer:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        print("closing after", exc_type.__name__)
        return False


with Closer():
    raise RuntimeError("propagates")
