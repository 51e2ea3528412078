import queue
q = queue.Queue(1)
q.put(1)
q.put(2, timeout=0.01)
