# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 310, case seed 0x2b55f95cfdcccc8e).
# Weft bug: a Timer started by a daemon thread as the program ends: weft panics ("thread 0 did not
# perform its pending op") under both strategies
import threading


def on_timer():
    print("fired")


timer = threading.Timer(1, on_timer)


def worker0():
    timer.start()


def main():
    t0 = threading.Thread(target=worker0, daemon=True)
    t0.start()


main()
