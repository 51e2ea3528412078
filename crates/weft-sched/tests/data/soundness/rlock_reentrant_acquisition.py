# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 3194, case seed 0x2705fe75af651dc7).
# DFS finds what DPOR misses: a reentrant `RLock` acquisition (`with rlock:` nested twice) against
# another thread's `with rlock:`: DPOR explores one order only
import threading

rlock = threading.RLock()


def worker2():
    with rlock:
        print(2)


def main():
    t2 = threading.Thread(target=worker2)
    t2.start()
    with rlock:
        with rlock:
            print(0)
    t2.join()


main()
