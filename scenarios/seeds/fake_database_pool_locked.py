# notes 001, "Basic Synchronization Using Lock": the FakeDatabase with a Lock around the
# read-modify-write, in the pool. (fake_database_locked.py is the threading.Thread version.)
# oracle-mask: ^\d\d:\d\d:\d\d
# Adapted: the note's stray `from unicodedata import name` (unused: `name` is a parameter) is
# left out, since weft has no unicodedata module. Tabs kept.
# python3 (stderr, read with stdout by the oracle): ending value always 2; the
# "starting"/"finishing" lines vary in order.
import time
import logging
import concurrent.futures
import threading


class FakeDatabase:
	def __init__(self):
		self.value = 0
		self._lock = threading.Lock()

	def update(self, name):
		logging.info("Thread %s: starting update", name)
		with self._lock:
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
