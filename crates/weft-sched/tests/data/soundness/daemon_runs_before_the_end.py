# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 1572, case seed 0x9e106d29f6b0bda7).
# DFS finds what DPOR misses: a daemon thread that may run before the program ends: DPOR misses it
# finishing before the main thread's `threading.enumerate()`
import threading


def worker1():
    print(0)


def main():
    t1 = threading.Thread(target=worker1, daemon=True)
    t1.start()
    print(len(threading.enumerate()))


main()
