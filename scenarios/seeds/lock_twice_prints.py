# weft-expect: deadlock
# notes 000, "Deadlock": one thread acquires a Lock twice; the second acquire waits forever.
# Adapted: nothing.
# python3: prints "before first acquire" and "before second acquire", then hangs.
import threading

l = threading.Lock()
print("before first acquire")
l.acquire()
print("before second acquire")
l.acquire()
print("acquired lock twice")
# Deadlock happened as second time it is trying to acquire lock.
