# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 2986, case seed 0xe3af2802500b51db).
# DFS finds what DPOR misses: the main thread raising (`q.task_done()` too often) while a pool task
# runs: DPOR misses the pool finishing first
import threading
import queue
from concurrent.futures import ThreadPoolExecutor

q = queue.Queue(1)
pool = ThreadPoolExecutor(max_workers=1)


def task(i):
    return i * 10


def worker0():
    print(list(pool.map(task, [0, 1])))


def main():
    t0 = threading.Thread(target=worker0)
    t0.start()
    q.task_done()
    t0.join()


main()
