# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 372, case seed 0x3574af0c2d488387).
# DFS finds what DPOR misses: a thread's completion observed through `threading.active_count()`:
# DPOR never lets the thread finish first
import threading


def worker1():
    print(0)


def main():
    t1 = threading.Thread(target=worker1)
    t1.start()
    print(threading.active_count())
    t1.join()


main()
