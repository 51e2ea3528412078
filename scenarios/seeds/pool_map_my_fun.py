# notes 004, "ThreadPoolExcecutor", first half: executor.map with a timeout, the results
# printed in input order as the main thread iterates over them.
# Adapted: time.sleep(3) -> 0.01; the inputs [0, 1, 2, 3, 4, 5] -> [0, 1], so that at most
# three threads print at once; the note's program is split in two (its submit half is
# pool_submit_my_fun.py), each ending with the note's "Main done!".
# python3: each task's two lines (the two tasks' lines interleaved in varying order), the
# results 0 and 1 in input order (0 after task 0's lines, 1 after task 1's), "Main done!".
from concurrent.futures import ThreadPoolExecutor
import time
def my_fun(thread_num):
  time.sleep(0.01)
  print(f'Thread {thread_num} is executing!!')
  print(f"Thread {thread_num} finished executing!!")
  return thread_num

if __name__ == "__main__":
  # using context manager is a good practice, as it closes automatically
  with ThreadPoolExecutor(max_workers=4) as executor:
    results = executor.map(my_fun, [0, 1], timeout=10)
    # this results is an iterable and gives us output sequentially 
    # according to input passed to map()
    # timeout will wait for 10 seconds for the tasks to complete, otherwise raises TimeoutError()
    for result in results: # this blocks
      # result contains what is returned from the function
      print(result)   # waits and then prints

  print("Main done!")
