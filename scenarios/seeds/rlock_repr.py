# notes 002, "Deadlocks" (In [45]): an RLock acquired twice by its owner, printed with its owner
# and count, released once, and the current thread printed.
# oracle-mask: 0x[0-9a-f]+
# oracle-mask: (?<=owner=)\d+
# oracle-mask: (?<=started )\d+
# Completed: `import threading` (from the note's previous cell). Adapted: nothing (the owner's
# ident and the addresses differ on every run: the oracle masks them).
# python3: "<locked _thread.RLock object owner=N count=2 at 0x...>", the same with count=1,
# "<_MainThread(MainThread, started N)>".
import threading

# can use RLock with prevents deadlock
lock = threading.RLock()
lock.acquire()
lock.acquire()
print(lock)
lock.release()
print(lock)
print(threading.current_thread())
