# weft-expect: deadlock
# A Lock acquired twice by the same thread (notes 001 and 002, "Deadlock"): the second
# acquire waits forever, because a Lock is not reentrant.
import threading

lock = threading.Lock()
lock.acquire()
print("acquired once")
# causes deadlock by calling acquire before calling release
lock.acquire()
print("never printed")
