# notes 004, "Producer and Consumer problem", first program fixed the way the note suggests
# ("synchronizing the critical section"): add_item/remove_item call full()/empty() instead of
# testing the Condition attributes, under a Lock, so the check and the put/get are one step for
# producers and consumers alike; nobody raises (an item offered to a full buffer is dropped, a
# consumer facing an empty buffer gets None -- the note's `else: pass`).
# oracle-mask: \d+
# Adapted as buffer_queue_nonblocking.py (2 iterations, 1 producer and 1 consumer, Buffer(1),
# uniform(0.01, 0.05)).
# python3: exit status 0, no exception; "Consumer took None from the buffer" when the consumer
# comes first.
import threading
import random
import time
import queue

class Buffer():
  def __init__(self, size):
    self.size = size
    self.buffer = queue.Queue(maxsize=size) # fixed buffer
    self.lock = threading.Lock()

  def add_item(self, item):
    with self.lock:
      if not self.buffer.full():
        self.buffer.put(item, block=False)
      else:
        pass

  def remove_item(self):
    with self.lock:
      if not self.buffer.empty():
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
