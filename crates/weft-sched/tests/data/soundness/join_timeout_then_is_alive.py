# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 351, case seed 0x04925612d16c08ca).
# DFS finds what DPOR misses: `t.join(5)` then `t.is_alive()`: DPOR never lets the join time out
# before the thread finishes
import threading


def worker0():
    print(0)


def main():
    t0 = threading.Thread(target=worker0)
    t0.start()
    t0.join(5)
    print(t0.is_alive())
    t0.join()


main()
