# Not from the notes: weft's own regression. Each thread updates its own list slot and its own
# dict key: a correct program. weft once reported lost updates and data races here (exit 1),
# because a whole list or dict was one location. Each list index and each dict key is now a
# location of its own, so the two threads touch nothing in common until the main thread joins
# them and prints: 0 findings, and DPOR explores one schedule. Its buggy twin is
# items_same_slot.py.
import threading

results = [0, 0]
stats = {"a": 0, "b": 0}


def work(i, k):
    results[i] = results[i] + 1
    stats[k] += 1


ts = [threading.Thread(target=work, args=(0, "a")), threading.Thread(target=work, args=(1, "b"))]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(results, stats)
