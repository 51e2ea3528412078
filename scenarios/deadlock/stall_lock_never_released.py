# weft-expect: deadlock
# A stall: the worker takes the lock and finishes without releasing it, so the main thread
# waits for a lock no running thread holds. Everyone is blocked, and there is no cycle.
import threading

lock = threading.Lock()


def worker():
    lock.acquire()
    print("worker took the lock and leaves")


t = threading.Thread(target=worker)
t.start()
t.join()
with lock:
    print("never printed")
