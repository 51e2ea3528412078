# notes 003, "`Lock`" and "`Reentrant Lock`": create a Lock and an RLock, acquire and release
# each.
# Completed: the notes' `from theading import Lock` (a typo, and without RLock, which the second
# fragment uses) is `from threading import Lock, RLock`; the acquires' results are printed as a
# REPL would echo them.
# python3: always "True" twice.
from threading import Lock, RLock

l = Lock()
print(l.acquire())
l.release()

Rl = RLock()
print(Rl.acquire())
Rl.release()
