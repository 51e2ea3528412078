# Releasing an unlocked Lock.
import threading
lock = threading.Lock()
lock.acquire()
print(lock.locked())
lock.release()
print(lock.locked())
lock.release()
