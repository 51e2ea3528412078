# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 1136, case seed 0x5848bb4230becdb1).
# DFS finds what DPOR misses: a daemon thread that may run before the main thread's uncaught
# exception ends the program: DPOR never runs it
import threading

lock = threading.Lock()


def worker1():
    print(0)


def main():
    t1 = threading.Thread(target=worker1, daemon=True)
    t1.start()
    lock.release()


main()
