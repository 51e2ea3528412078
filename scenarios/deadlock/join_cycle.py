# weft-expect: deadlock
# A join cycle: the worker joins the main thread, and the main thread joins the worker, so each
# waits for the other to finish.
import threading


def worker():
    print("worker waits for the main thread")
    threading.main_thread().join()


t = threading.Thread(target=worker)
t.start()
t.join()
print("never printed")
