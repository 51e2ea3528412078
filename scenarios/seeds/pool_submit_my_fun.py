# notes 004, "ThreadPoolExcecutor", second half: two submits, then future.result() (one with a
# timeout) printed in order.
# Adapted: time.sleep(3) -> 0.01; split from the map half (pool_map_my_fun.py), keeping the
# note's final "Main done!".
# python3: the two tasks' lines in varying order, 0 after task 0's lines, 1 after task 1's
# and after 0, "Main done!".
from concurrent.futures import ThreadPoolExecutor
import time
def my_fun(thread_num):
  time.sleep(0.01)
  print(f'Thread {thread_num} is executing!!')
  print(f"Thread {thread_num} finished executing!!")
  return thread_num

if __name__ == "__main__":
  # using submit, returns a Future object
  with ThreadPoolExecutor(max_workers=5) as executor:
    # submit is a non blocking call
    future1 = executor.submit(my_fun, 0)
    future2 = executor.submit(my_fun, 1)

    # these two are blocking calls
    print(future1.result(timeout=5))  # timeout is optional 
    print(future2.result())
    
  print("Main done!")
