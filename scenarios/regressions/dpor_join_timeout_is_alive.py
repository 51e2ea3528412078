# join with a timeout, then is_alive(): the thread may or may not have finished. DPOR once
# printed only "True": is_alive() read the thread's liveness without that being recorded, so
# the thread's end and the question commuted. A thread's start and end now change its
# liveness, and is_alive(), enumerate() and active_count() observe it.
import threading
import time


def f():
    time.sleep(0.2)


t = threading.Thread(target=f)
t.start()
t.join(5)
print(t.is_alive())
