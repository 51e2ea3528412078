# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 2293, case seed 0x435520320e92a31a).
# DFS finds what DPOR misses: `Condition.wait_for(lambda: x > 0)` against an unnotified write of
# `x`: DPOR misses the predicate reading `x` before the write (a lost wakeup)
import threading

x = 0
y = 0
cond = threading.Condition()


def worker1():
    global x, y
    with cond:
        cond.wait_for(lambda: x > 0)


def main():
    global x, y
    t1 = threading.Thread(target=worker1)
    t1.start()
    tmp = x
    x = tmp + 8
    t1.join()


main()
