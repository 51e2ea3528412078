import threading
s = threading.BoundedSemaphore(1)
s.acquire()
s.release()
s.release()
