# notes 001, "Race Conditions" (and notes 000, "Race Condition", the same code with
# max_workers=3 and without logging.basicConfig): two pool tasks update one value with a
# read, a sleep and a write, logging as they go. (fake_database.py is the same race with
# threading.Thread and print; this is the note's own program.)
# oracle-mask: ^\d\d:\d\d:\d\d
# Adapted: nothing.
# python3 (stderr, read with stdout by the oracle): starting value 0, both "starting update",
# both "finishing update" (either order), ending value 1 (practically always: both tasks read
# 0 during the other's sleep).
import time
import logging
import concurrent.futures


class FakeDatabase:
    def __init__(self):
        self.value = 0

    def update(self, name):
        logging.info("Thread %s: starting update", name)
        local_copy = self.value
        local_copy += 1
        time.sleep(0.1)
        self.value = local_copy
        logging.info("Thread %s: finishing update", name)


if __name__ == "__main__":
    format = "%(asctime)s: %(message)s"
    logging.basicConfig(format=format, level=logging.INFO,
                        datefmt="%H:%M:%S")
        
    database = FakeDatabase()
    logging.info("Testing update. Starting value is %d.", database.value)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:
        for index in range(2):
            # each of the threads in the pool will call database.update(index)
            executor.submit(database.update, index)
    logging.info("Testing update. Ending value is %d.", database.value)
