# An uncaught exception in a worker is reported and ends that thread only.
import threading

lock = threading.Lock()

def worker():
    lock.release()

t = threading.Thread(target=worker)
t.start()
t.join()
print("main carries on", t.is_alive())
