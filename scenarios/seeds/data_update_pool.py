# notes 004, "Race condition": two pool tasks run obj.update, which reads, sleeps, increments
# and writes obj.data; "After this obj.data should be 2, but it is 1".
# Adapted: time.sleep(1) -> 0.01.
# python3 (24 runs): "1" (19: both tasks read 0 during the other's sleep) or "2" (5).
from concurrent.futures import ThreadPoolExecutor
import time
class Data:
  def __init__(self):
    self.data = 0
  
  def update(self):
    local_var = self.data
    time.sleep(0.01)   # this will make first thread wait, and second one will get old(not modified) self.data value, causing inconsistency
    local_var += 1
    self.data = local_var

if __name__=="__main__":
  obj = Data()
  # obj.update()
  with ThreadPoolExecutor(max_workers=2) as executor:
    # both the below threads will execute the same object's method
    executor.submit(obj.update)
    executor.submit(obj.update)
    
  # After this obj.data should be 2, but it is 1
  # Note here that first the above two threads finish before main thread finishes, because of using context manager
  # context manager ensures the closing of threads
  print(obj.data)  #prints 1
