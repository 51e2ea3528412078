# notes 002, "Lock Objects" (In [31]): print a Lock unlocked, locked, and released again.
# oracle-mask: 0x[0-9a-f]+
# Adapted: nothing (the object's address differs on every run: the oracle masks it).
# python3: "<unlocked _thread.lock object at 0x...>", "<locked ...>", "<unlocked ...>".
import threading

# create lock
lock = threading.Lock()
print(lock)

# lock the lock
lock.acquire()
print(lock)

# open/release the lock
lock.release()
print(lock)
