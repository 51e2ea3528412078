# notes 001, "Multiple Threads - Manual Handeling": start threads in a loop, then join them in
# order, logging each step.
# oracle-mask: ^\d\d:\d\d:\d\d
# Adapted: time.sleep(4) -> 0.01, and 2 threads instead of 3 (range(2)) so that at most three
# threads log at once. Tabs kept.
# python3 (stderr, read with stdout by the oracle): create 0, Thread 0 starting, create 1,
# Thread 1 starting (the "starting" lines may come later), before joining 0, the "finishing"
# lines in either order around "thread 0 done", before joining 1, thread 1 done.
import logging
import threading
import time


def thread_function(name):
	logging.info("Thread %s: starting", name)
	time.sleep(0.01)
	logging.info("Thread %s: finishing", name)


if __name__ == "__main__":
	format = "%(asctime)s: %(message)s"
	logging.basicConfig(format=format, level=logging.INFO, datefmt="%H:%M:%S")
	
	threads = list()
	for index in range(2):
		logging.info("Main	:	create and start thread %d.", index)
		x = threading.Thread(target=thread_function, args=(index,))
		threads.append(x)
		x.start()

	for index, thread in enumerate(threads):
		logging.info("Main	:	before joining thread %d", index)
		thread.join()
		logging.info("Main	:	thread %d done", index)
