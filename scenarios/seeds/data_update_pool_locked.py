# notes 004, "Fixing Race condition": Data.update under a Lock stored in a name-mangled
# attribute (self.__lock), shared by both pool tasks.
# Adapted: time.sleep(1) -> 0.01.
# python3: always "2".
from concurrent.futures import ThreadPoolExecutor
import time
import threading
class Data:
  def __init__(self):
    self.data = 0
    self.__lock = threading.Lock()
  
  def update(self):
    with self.__lock:  # this is it, it will make the thread enter with a lock
      local_var = self.data
      time.sleep(0.01)   
      local_var += 1
      self.data = local_var

if __name__=="__main__":
  obj = Data()
  with ThreadPoolExecutor(max_workers=2) as executor:
    # both the below threads will execute the same object's method
    executor.submit(obj.update)
    executor.submit(obj.update)
    
  print(obj.data)  # prints 2 now
