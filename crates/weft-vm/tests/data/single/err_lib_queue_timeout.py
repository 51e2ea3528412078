import queue
q = queue.Queue()
q.put(1, timeout=-1)
print(q.qsize())
q.get(timeout=-1)
