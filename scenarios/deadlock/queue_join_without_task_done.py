# weft-expect: deadlock
# queue.join() without task_done(): the consumer takes every item but never marks it done, so
# the producer's join() waits forever.
import queue
import threading

q = queue.Queue()


def consumer():
    for _ in range(2):
        print("took", q.get())


t = threading.Thread(target=consumer, daemon=True)
t.start()
q.put(1)
q.put(2)
q.join()
print("all done")
