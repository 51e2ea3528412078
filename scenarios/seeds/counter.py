# The racing Counter from the notes (003, "Cautious of manipulating shared variables!").
# Adapted: 3 threads x 2 increments instead of 5 x 100000 (so every interleaving can be
# explored), no sys.setswitchinterval, and the notes' unbalanced parenthesis fixed.
# `self.count += 1` is a read and a write: some interleavings lose updates.
from threading import Thread


class Counter:

    def __init__(self):
        self.count = 0

    def increment(self):
        for _ in range(2):
            self.count += 1


if __name__ == "__main__":
    numThreads = 3
    threads = [0] * numThreads
    counter = Counter()

    for i in range(0, numThreads):
        threads[i] = Thread(target=counter.increment)

    for i in range(0, numThreads):
        threads[i].start()

    for i in range(0, numThreads):
        threads[i].join()

    if counter.count != 6:
        print(" count = {0}".format(counter.count))
    else:
        print(" count = 6 - Try re-running the program")
