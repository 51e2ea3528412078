# An exception inside `with lock:` releases the lock on the way out.
import threading
lock = threading.Lock()
def risky():
    with lock:
        print("holding", lock.locked())
        raise RuntimeError("boom")
risky()
