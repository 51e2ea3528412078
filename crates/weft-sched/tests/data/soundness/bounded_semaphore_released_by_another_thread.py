# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 3383, case seed 0x44af0469de53d237).
# DFS finds what DPOR misses: `BoundedSemaphore.release()` by a thread that did not acquire it
# while another holds it: DPOR misses the release inside the `with`
import threading

bsem = threading.BoundedSemaphore(1)


def worker0():
    with bsem:
        print(0)


def main():
    t0 = threading.Thread(target=worker0)
    t0.start()
    bsem.release()
    t0.join()


main()
