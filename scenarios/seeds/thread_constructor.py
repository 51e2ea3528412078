# notes 003, "Creating threads": `t = Thread(group=None, target=None, name=None, args=(),
# kwargs={}, *, daemon = None)`, then `t.start()` and `t.join()`.
# Completed: the `*,` of the note's signature is left out of the call (a call cannot contain
# it), and a print of the thread's default name and flags is added so the run has an output.
# python3: always "Thread-1 False False" (a thread without target runs nothing).
from threading import Thread

t = Thread(group=None, target=None,name=None, args=(), kwargs={}, daemon = None)
t.start()
t.join()
print(t.name, t.daemon, t.is_alive())
