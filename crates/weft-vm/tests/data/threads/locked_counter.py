# The same increments under `with lock:`.
import threading

counter = 0
lock = threading.Lock()

def worker():
    global counter
    for _ in range(2):
        with lock:
            counter += 1

threads = []
for i in range(2):
    t = threading.Thread(target=worker)
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print("counter:", counter)
