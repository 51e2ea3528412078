# Releasing an RLock held by another thread.
import threading
r = threading.RLock()
def grab():
    r.acquire()
t = threading.Thread(target=grab)
t.start()
t.join()
r.release()
