# A negative timeout other than -1.
import threading
lock = threading.Lock()
print(lock.acquire(timeout=-1))
lock.release()
print(lock.acquire(timeout=0))
lock.acquire(timeout=-2)
