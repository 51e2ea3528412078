# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 76, case seed 0x9f571835849693a3).
# DFS finds what DPOR misses: one Timer started by two threads: DPOR misses the worker's `start()`
# winning (the main thread's then raises)
import threading


def on_timer():
    print("fired")


timer = threading.Timer(1, on_timer)


def worker1():
    timer.start()


def main():
    t1 = threading.Thread(target=worker1)
    t1.start()
    timer.start()
    t1.join()


main()
