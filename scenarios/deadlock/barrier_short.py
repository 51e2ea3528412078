# weft-expect: deadlock
# A barrier short of parties: it is made for 3 threads but only 2 ever arrive, so both wait
# forever.
import threading

barrier = threading.Barrier(3)


def worker(name):
    print(name, "waits")
    barrier.wait()
    print(name, "passes")


threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
for t in threads:
    t.start()
for t in threads:
    t.join()
