# notes 002, "Semaphore" (In [32] to In [34]): a Semaphore's counter after three acquires and
# one release.
# Completed: `import threading` (from the note's previous cell). Adapted: nothing.
# python3: always "50", "47", "48".
import threading

sem = threading.Semaphore(value=50)
print(sem._value)

sem.acquire()
sem.acquire()
sem.acquire()
print(sem._value)

sem.release()
print(sem._value)
