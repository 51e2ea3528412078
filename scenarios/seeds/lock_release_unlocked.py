# weft-expect: exception
# notes 001, "Deadlock": the REPL session with a Lock: acquire (True), acquire again (hangs until
# ^C), release, release again (RuntimeError: release unlocked lock).
# Adapted: the REPL echoes of acquire() are prints, and the second acquire, which the session
# interrupted with ^C, gives up after 0.01 s instead (acquire(timeout=0.01) returns False).
# python3: prints "True" and "False", then the main thread raises
# "RuntimeError: release unlocked lock" (exit status 1).
import threading

l = threading.Lock()
print(l.acquire())
print(l.acquire(timeout=0.01))
l.release()
l.release()
