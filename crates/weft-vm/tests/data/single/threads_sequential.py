# Threads started and joined one at a time: the output is the same under every schedule.
import threading
import time


def worker(label, repeat=1, sep="-"):
    me = threading.current_thread()
    print(label * repeat, me.name, sep=sep)


t1 = threading.Thread(target=worker, args=("a",))
print(t1.name, t1.is_alive(), t1.daemon, t1.ident)
t1.start()
t1.join()
print(t1.is_alive(), t1.ident is not None)
t1.join()

t2 = threading.Thread(target=worker, args=["b"], kwargs={"repeat": 3, "sep": "|"}, name="custom")
t2.start()
t2.join()

t3 = threading.Thread(target=worker, kwargs={"label": "c"})
t3.daemon = True
t3.start()
t3.join()
print(t3.name, t3.daemon)

t4 = threading.Thread(target=print, args=("printed by a thread",))
print(t4.name)
t4.start()
t4.join()


class Counter(threading.Thread):
    def __init__(self, n):
        threading.Thread.__init__(self, name="counter-" + str(n))
        self.n = n
        self.total = 0

    def run(self):
        for i in range(self.n):
            self.total += i
        time.sleep(0)


c = Counter(5)
c.start()
c.join()
print(c.name, c.total, c.is_alive())

lock = threading.Lock()
lock.acquire()


def releaser():
    lock.release()


t5 = threading.Thread(target=releaser)
t5.start()
t5.join()
print("released by another thread:", lock.locked())

r = threading.RLock()
with r:
    with r:
        print("reentrant")
print(threading.current_thread().name, threading.main_thread().name, threading.active_count())
print(len(threading.enumerate()), threading.enumerate()[0].name)


def no_target_name():
    pass


unnamed = threading.Thread()
print(unnamed.name)
unnamed.start()
unnamed.join()
