# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 68, case seed 0x8459beadd5670fab).
# DFS finds what DPOR misses: `as_completed` on a 2-worker pool: DPOR never yields the second
# future first
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

pool = ThreadPoolExecutor(max_workers=2)


def task(i):
    return i * 10


def worker0():
    fs = [pool.submit(task, i) for i in range(0, 2)]
    for f in as_completed(fs):
        print(f.result())


def main():
    t0 = threading.Thread(target=worker0)
    t0.start()
    t0.join()


main()
