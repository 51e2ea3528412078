# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 4315, case seed 0xd2ecbcf316f4ffaa).
# DFS finds what DPOR misses: a daemon thread in `Condition.wait_for` when the program ends: DPOR
# misses it being stopped while it holds the condition's lock at one of the lines
import threading

x = 0
y = 0
cond = threading.Condition()


def worker0(cond):
    global x, y
    with cond:
        cond.wait_for(lambda: x > 0)


def main(threading, cond):
    global x, y
    t0 = threading.Thread(target=worker0, args=(cond,), daemon=True)
    t0.start()
    x += 1


main(threading, cond)
