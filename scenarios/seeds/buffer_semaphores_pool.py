# notes 004, "Producer and Consumer problem", second program: a Buffer guarded by a mutex and
# two Semaphores (free slots, filled slots); producer tasks, then consumer tasks, in a pool,
# waited for with as_completed. (Latent bug, kept: `with self.empty:` / `with self.full:` give
# back the permit they took when the block ends, so the counts never go down; it shows no
# symptom here because every producer finishes before any consumer starts.)
# Adapted: 2 producer tasks and 2 consumer tasks instead of 10 of each (range(10) -> range(2)),
# time.sleep(1) -> 0.01.
# python3: "Producer added 0" and "Producer added 1" in either order, then "Consumer consumed
# 0!!" and "Consumer consumed 1!!" in either order.
import threading
import random
import time
import queue
from concurrent.futures import ThreadPoolExecutor, as_completed

class Buffer():
  def __init__(self, size):
    self.size = size
    self.buffer = []
    self.mutex = threading.Lock()
    self.empty = threading.Semaphore(self.size)
    self.full = threading.Semaphore(0)

  def add_item(self, item):
    with self.empty:
      with self.mutex:
          self.buffer.append(item)
      self.full.release()  

  def remove_item(self):
    with self.full:
      with self.mutex:
        item = self.buffer.pop(0)
      self.empty.release()
      return item

def producing_thread(buffer, item):
  time.sleep(0.01)
  print(f"Producer added {item}")
  buffer.add_item(item)

def consuming_thread(buffer):
  item = buffer.remove_item()
  time.sleep(0.01)
  print(f"Consumer consumed {item}!!")

buffer = Buffer(10)
with ThreadPoolExecutor(max_workers=20) as executor:
  producer_tasks = [executor.submit(producing_thread, buffer, i) for i in range(2)]

  # Wait for all producer tasks to complete
  for future in as_completed(producer_tasks):
      future.result()

  # Now submit the consumer tasks
  consumer_tasks = [executor.submit(consuming_thread, buffer) for _ in range(2)]

  # Wait for all consumer tasks to complete
  for future in as_completed(consumer_tasks):
      future.result()
