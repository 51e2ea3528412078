# weft: --max-schedules 3 --max-steps 2000
# The racing Counter of the notes (003) at full size: 5 threads x 100000 `self.count += 1`.
# Adapted: no sys.setswitchinterval (weft has no `sys` yet) and the notes' unbalanced
# parenthesis fixed. Far too big to explore (the pragma bounds `weft explore`/`weft check`
# to a labelled partial search); `weft random` samples it and finds lost updates at once.
# CPython 3.10+ never loses an update here (it only switches threads at calls and loop
# back-edges); weft models the language, where `+=` is a read and a write.
from threading import Thread


class Counter:

    def __init__(self):
        self.count = 0

    def increment(self):
        for _ in range(100000):
            self.count += 1


if __name__ == "__main__":

    numThreads = 5
    threads = [0] * numThreads
    counter = Counter()

    for i in range(0, numThreads):
        threads[i] = Thread(target=counter.increment)

    for i in range(0, numThreads):
        threads[i].start()

    for i in range(0, numThreads):
        threads[i].join()

    if counter.count != 500000:
        print(" count = {0}".format(counter.count))
    else:
        print(" count = 500,000 - Try re-running the program")
# oracle-weft: random --runs 2 --pct-depth 1 --max-steps 1100000
# (oracle: no bounded explore reaches the end of a run this long, so the CPython oracle compares
# with weft random under PCT depth 1, which runs the threads one after the other, as CPython 3.11
# does here.)
