# Releasing an RLock that is not held.
import threading
r = threading.RLock()
r.acquire()
r.acquire()
r.release()
r.release()
print("balanced")
r.release()
