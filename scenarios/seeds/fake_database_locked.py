# The FakeDatabase from the notes (001, "Basic Synchronization Using Lock"), with a Lock
# around the read-modify-write. Adapted: print instead of logging, threading.Thread instead
# of a ThreadPoolExecutor, a short sleep. The ending value is always 2.
import threading
import time


class FakeDatabase:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def update(self, name):
        print(f"Thread {name}: starting update")
        with self._lock:
            local_copy = self.value
            local_copy += 1
            time.sleep(0.01)
            self.value = local_copy
        print(f"Thread {name}: finishing update")


if __name__ == "__main__":
    database = FakeDatabase()
    print(f"Testing update. Starting value is {database.value}.")
    workers = []
    for index in range(2):
        worker = threading.Thread(target=database.update, args=(index,))
        workers.append(worker)
        worker.start()
    for worker in workers:
        worker.join()
    print(f"Testing update. Ending value is {database.value}.")
