# User context managers: __enter__'s result is bound by `as`, __exit__ sees the exception and
# may suppress it.
class Tracer:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type is not None, exc is not None, tb is not None)
        if exc is not None:
            print("saw", repr(exc), isinstance(exc, ValueError))
        return self.suppress


with Tracer("a") as value:
    print("inside", value)

with Tracer("b", suppress=True):
    print("about to raise")
    raise ValueError("suppressed")
    print("not reached")

with Tracer("outer", True):
    with Tracer("inner"):
        raise KeyError("k")
print("after")


def use():
    with Tracer("f"):
        return "returned from inside with"


print(use())

if __name__ == "__main__":
    print("main module", __name__)
