# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 904, case seed 0x5539fd3dafe7d8fb).
# DFS finds what DPOR misses: `lock.release()` by a thread that does not hold the lock while
# another holds it in `with lock:`: DPOR misses the release landing inside the critical section
import threading

lock = threading.Lock()


def worker1():
    with lock:
        print(0)


def main():
    t1 = threading.Thread(target=worker1)
    t1.start()
    lock.release()
    t1.join()


main()
