# weft-expect: maybe-deadlock
# A lost wakeup: the notifier may run before the waiter has started waiting, and a Condition
# does not remember a notify nobody was waiting for, so the waiter can wait forever. (The fix
# is a predicate: `cond.wait_for(lambda: ready)` with `ready = True` set under the lock.)
import threading

cond = threading.Condition()


def waiter():
    with cond:
        cond.wait()
        print("woken")


def notifier():
    with cond:
        cond.notify()


w = threading.Thread(target=waiter)
n = threading.Thread(target=notifier)
w.start()
n.start()
n.join()
w.join()
