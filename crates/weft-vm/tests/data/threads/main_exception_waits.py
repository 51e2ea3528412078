# The main thread dies of an exception but still waits for the worker (threading._shutdown).
import threading
import time

def worker():
    time.sleep(0.1)
    print("worker done")

t = threading.Thread(target=worker)
t.start()
raise ValueError("main failed")
