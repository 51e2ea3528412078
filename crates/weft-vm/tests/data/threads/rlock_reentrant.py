# An RLock is re-entered by its owner and makes other threads wait.
import threading

r = threading.RLock()
log = []

def inner():
    with r:
        log.append("inner")

def outer(name):
    with r:
        log.append(name)
        inner()

t = threading.Thread(target=outer, args=("t",))
t.start()
outer("main")
t.join()
print(log, threading.current_thread().name, t.name)
