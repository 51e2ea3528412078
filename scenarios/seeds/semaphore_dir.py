# notes 002, "Semaphore" (In [31]): the attributes of a Semaphore.
# Adapted: nothing. (The note ran an older Python: 3.11 also lists __getstate__.)
# python3: one line, the sorted attribute list of threading.Semaphore on this CPython.
import threading

sem = threading.Semaphore()
print(dir(sem))
