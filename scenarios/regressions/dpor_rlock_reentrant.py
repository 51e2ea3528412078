# A reentrant RLock acquisition collapsed the search: DPOR ran one schedule and printed only
# "0 1". The inner acquire counted as an operation on the lock, so it hid the race between the
# two outer acquires. A reentrant acquire (and an inner release) now touches nothing another
# thread can see: only the owner's count changes.
from threading import RLock, Thread


def task(lock, i):
    with lock:
        with lock:
            print(i)


lock = RLock()
for i in range(2):
    Thread(target=task, args=(lock, i)).start()
