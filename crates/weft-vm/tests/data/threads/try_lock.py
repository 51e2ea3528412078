# acquire(blocking=False) never waits and returns whether it got the lock.
import threading

lock = threading.Lock()

def worker():
    if lock.acquire(blocking=False):
        print("worker got it")
        lock.release()
    else:
        print("worker gave up")

lock.acquire()
t = threading.Thread(target=worker)
t.start()
lock.release()
t.join()
print(threading.active_count())
