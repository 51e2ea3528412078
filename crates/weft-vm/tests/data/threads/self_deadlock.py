# A Lock acquired twice by the same thread waits for itself forever.
import threading

lock = threading.Lock()
lock.acquire()
print("first acquire")
lock.acquire()
print("never printed")
