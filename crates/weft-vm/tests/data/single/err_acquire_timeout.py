# A timeout with a non-blocking acquire.
import threading
lock = threading.Lock()
print(lock.acquire(False))
print(lock.acquire(blocking=False))
lock.acquire(False, 1)
