# Timed waits: time is not modelled, so a timed acquire is a try-acquire and a timed join is a
# scheduling point that may come before or after the thread finishes.
import threading

lock = threading.Lock()

def holder():
    with lock:
        print("holder has the lock")

t = threading.Thread(target=holder)
t.start()
got = lock.acquire(timeout=0.5)
print("main got the lock:", got)
if got:
    lock.release()
t.join(timeout=1.0)
print("alive after timed join:", t.is_alive(), len(threading.enumerate()))
t.join()
