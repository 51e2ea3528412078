# weft-expect: exception
# The RLock version (notes 001 and 002): the owner may acquire it again; it must release it
# as many times, and one release too many raises RuntimeError.
import threading

lock = threading.RLock()
lock.acquire()
lock.acquire()
print("acquired twice")
lock.release()
lock.release()
print("released twice")
print(threading.current_thread().name)
lock.release()
