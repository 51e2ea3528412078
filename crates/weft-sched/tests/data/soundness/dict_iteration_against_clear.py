# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 266, case seed 0x9c9181b2a04cb647).
# DFS finds what DPOR misses: iterating a dict while another thread clears it: DPOR misses
# "dictionary changed size during iteration"
import threading

d = {"a": 0, "b": 0}


def worker0():
    for key in d:
        print(key)


def main():
    t0 = threading.Thread(target=worker0)
    t0.start()
    d.clear()
    t0.join()


main()
