# notes 001, "Threading - without daemon": logging from the main thread and one thread; the
# join is commented out, so the program waits for the non-daemon thread after "all done".
# oracle-mask: ^\d\d:\d\d:\d\d
# Adapted: time.sleep(2) -> 0.01. The note's tab indentation and tabs in the messages are kept.
# python3 (on stderr, as logging's default handler writes; the oracle reads it with stdout):
# "Before creating thread", "Before running thread", then "Thread 1 : starting" among the
# main's "wait for the thread to finish" and "all done", then "Thread 1 : finishing".
import logging
import threading
import time

def thread_function(name):
	logging.info("Thread %s	:	starting", name)
	time.sleep(0.01)
	logging.info("Thread %s	:	finishing", name)

if __name__ == "__main__":
	format = "%(asctime)s: %(message)s"
	logging.basicConfig(format=format, level=logging.INFO, datefmt="%H:%M:%S")
	logging.info("Main		:	Before creating thread")
	x = threading.Thread(target=thread_function, args=(1,))
	logging.info("Main		:	Before running thread")
	x.start()
	logging.info("Main		:	wait for the thread to finish")
	# x.join()
	logging.info("Main		:	all done")
