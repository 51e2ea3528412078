# observe: held.locked()
# observe: free.locked()
# observe: held.acquire(blocking=False)
# observe: held.acquire()
# observe: free.acquire()
# observe: free.locked()
# observe: own.acquire()
# observe: waiter.join()
# observe: waiter.is_alive()
# observe: spin()
# python: no (the program deadlocks on purpose)
# A worker holds `held` and waits for an event nobody sets; main holds `own` and waits for
# the worker: observers that would wait on either say so instead.
import threading

held = threading.Lock()
free = threading.Lock()
own = threading.Lock()
never = threading.Lock()
never.acquire()


def worker():
    held.acquire()
    never.acquire()


def spin():
    n = 0
    while True:
        n += 1


waiter = threading.Thread(target=worker)
waiter.start()
own.acquire()
waiter.join()
