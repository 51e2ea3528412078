# Not from the notes: weft's own regression, the buggy twin of items_per_slot.py. Both threads
# update list slot 0 and dict key "a", so each read-modify-write can lose the other thread's
# update (lost updates and data races on results[0] and stats['a']); slot 1 and key "b" stay
# untouched.
import threading

results = [0, 0]
stats = {"a": 0, "b": 0}


def work(i, k):
    results[i] = results[i] + 1
    stats[k] += 1


ts = [threading.Thread(target=work, args=(0, "a")), threading.Thread(target=work, args=(0, "a"))]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(results, stats)
