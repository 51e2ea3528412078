# A worker's exception is reported on stderr and does not stop the main thread; main then
# fails itself.
import threading


def worker(values):
    print("worker got", values)
    values["missing"]


t = threading.Thread(target=worker, args=({"a": 1},))
t.start()
t.join()
print("main continues after", t.name)
raise RuntimeError("main fails")
