# notes 004, "Producer and Consumer problem", first program: a Buffer over queue.Queue whose
# add_item/remove_item test `self.buffer.not_full` / `self.buffer.not_empty` -- the queue's
# Condition objects, always true -- and then put/get with block=False, so a producer facing a
# full queue raises queue.Full and a consumer facing an empty one raises queue.Empty, ending
# that thread. Producer and Consumer subclass threading.Thread with super().__init__(). Kept;
# buffer_queue_nonblocking_fixed.py fixes it.
# oracle-mask: \d+
# Adapted: `while True` -> `for _ in range(2)` in both run() methods; 1 producer and 1
# consumer instead of 10 of each (range(10) -> range(1)); Buffer(10) -> Buffer(1), so that a
# full buffer is reachable with 2 items; random.uniform(0.1, 0.5) -> random.uniform(0.01, 0.05).
# python3: exit status 0 with a varying mix of "Producer put N in the buffer", "Consumer took
# N from the buffer", and on stderr the consumer (Thread-2) dying of _queue.Empty and/or the
# producer (Thread-1) of queue.Full.
import threading
import random
import time
import queue

class Buffer():
  def __init__(self, size):
    self.size = size
    self.buffer = queue.Queue(maxsize=size) # fixed buffer

  def add_item(self, item):
    if self.buffer.not_full:
      self.buffer.put(item, block=False)
    else:
      pass

  def remove_item(self):
    if self.buffer.not_empty:
      return self.buffer.get(block=False)
    else:
      pass

class Producer(threading.Thread):
  def __init__(self, buffer):
    super().__init__()
    self.buffer = buffer

  def run(self):
    for _ in range(2):
      item = random.randint(1, 101)
      self.buffer.add_item(item)
      print(f"Producer put {item} in the buffer")
      # random.uniform() generates a float in range given, excluding 0.5
      time.sleep(random.uniform(0.01, 0.05))

class Consumer(threading.Thread):
  def __init__(self, buffer):
    super().__init__()
    self.buffer = buffer

  def run(self):
    for _ in range(2):
      item = self.buffer.remove_item()
      print(f"Consumer took {item} from the buffer")
      time.sleep(random.uniform(0.01, 0.05))

buffer = Buffer(1)
for i in range(1):
  producer = Producer(buffer)
  consumer = Consumer(buffer)
  producer.start()
  consumer.start()
