import threading
import queue
import logging
import random
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed

sys.setswitchinterval(0.001)
sem = threading.Semaphore(2)
print(sem.acquire(), sem.acquire(), sem.acquire(blocking=False), sem._value)
sem.release()
sem.release(1)
print(sem._value)
with sem:
    print("inside", sem._value)

ev = threading.Event()
print(ev.is_set(), ev.wait(0.01))
ev.set()
print(ev.is_set(), ev.wait())
ev.clear()
print(ev.is_set())

cond = threading.Condition()
with cond:
    cond.notify_all()
    print(cond.wait(0.01))
    print("skipped")

b = threading.Barrier(1)
print(b.wait(), b.parties, b.n_waiting, b.broken)

q = queue.Queue(maxsize=2)
q.put("a")
q.put_nowait("b")
print(q.qsize(), q.full(), q.empty(), q.maxsize, bool(q.not_full))
print(q.get(), q.get(block=False), q.empty())
lifo = queue.LifoQueue()
lifo.put(1)
lifo.put(2)
print(lifo.get(), lifo.get())
simple = queue.SimpleQueue()
simple.put("x")
print(simple.qsize(), simple.get(), simple.empty())


def square(n):
    return n * n


with ThreadPoolExecutor(max_workers=2) as pool:
    futures = []
    for n in range(4):
        futures.append(pool.submit(square, n))
    print(list(pool.map(square, [5, 6, 7])))
    total = 0
    for future in as_completed(futures):
        total += future.result()
    print(total, futures[0].done())

fired = []
t = threading.Timer(5.0, fired.append, args=["fired"])
t.start()
t.cancel()
t.join()
print(fired, t.name)

logging.basicConfig(format="%(levelname)s %(threadName)s: %(message)s", level=logging.INFO)
logging.debug("hidden")
logging.info("shown %d %s", 1, "two")
logging.warning("careful")

random.seed(3)
r = random.random()
i = random.randint(1, 6)
u = random.uniform(2, 3)
print(0 <= r < 1, 1 <= i <= 6, 2 <= u <= 3, random.choice([7, 7]))
