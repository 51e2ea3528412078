# notes 001, "Threading - with daemon" (and notes 000, "Daemons", the same line without its
# definitions): the thread of "Threading - without daemon" made a daemon, so the program ends
# without waiting for it and its "finishing" line is lost.
# oracle-mask: ^\d\d:\d\d:\d\d
# Completed with the note's previous program, the thread created with daemon=True as the note
# says. Adapted: time.sleep(2) -> 0.1. Tabs kept.
# python3 (stderr, read with stdout by the oracle): the four "Main" lines with "Thread 1 :
# starting" among them (missing when the program ends before the daemon runs: 4 of 24 runs);
# "Thread 1 : finishing" practically never.
import logging
import threading
import time

def thread_function(name):
	logging.info("Thread %s	:	starting", name)
	time.sleep(0.1)
	logging.info("Thread %s	:	finishing", name)

if __name__ == "__main__":
	format = "%(asctime)s: %(message)s"
	logging.basicConfig(format=format, level=logging.INFO, datefmt="%H:%M:%S")
	logging.info("Main		:	Before creating thread")
	x = threading.Thread(target=thread_function, args=(1,), daemon=True)
	logging.info("Main		:	Before running thread")
	x.start()
	logging.info("Main		:	wait for the thread to finish")
	# x.join()
	logging.info("Main		:	all done")
