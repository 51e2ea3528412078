# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 649, case seed 0x2687cf0ca78bc594).
# DFS finds what DPOR misses: a daemon thread and the main thread acquiring one BoundedSemaphore:
# DPOR misses the daemon taking it first (the main thread then waits forever)
import threading

bsem = threading.BoundedSemaphore(1)


def worker0():
    bsem.acquire()


def main():
    t0 = threading.Thread(target=worker0, daemon=True)
    t0.start()
    bsem.acquire()


main()
