# notes 001, "Multiple Threads - ThreadPoolExecutor": map thread_function over range(3) in a
# pool of 3 workers used as a context manager, logging before and after.
# oracle-mask: ^\d\d:\d\d:\d\d
# Adapted: time.sleep(4) -> 0.01. Tabs kept.
# python3 (stderr, read with stdout by the oracle): "Before Thread pool", the three "starting"
# and three "finishing" lines in varying order (each thread's starting before its finishing),
# "After Thread pool".
import logging
import time
import concurrent.futures


def thread_function(name):
	logging.info("Thread %s: starting", name)
	time.sleep(0.01)
	logging.info("Thread %s: finishing", name)


if __name__ == "__main__":
	format = "%(asctime)s: %(message)s"
	logging.basicConfig(format=format, level=logging.INFO, datefmt="%H:%M:%S")

	logging.info("Before Thread pool")
	with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:
		executor.map(thread_function, range(3))
	logging.info("After Thread pool")
