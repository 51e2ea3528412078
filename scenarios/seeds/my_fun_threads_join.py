# notes 004, "Points about thread", second example: threads started in a loop, kept in a list and
# joined; "Thread is selected randomly by os. Output is not guaranteed."
# Adapted: time.sleep(1) -> 0.01, and 3 threads instead of 5 (range(0, 3)).
# python3: the "is executing" lines (mostly in order), the "finished executing" lines in any
# order, then "Main done!".
import time
import threading
def my_fun(thread_num):
  print(f'Thread {thread_num} is executing!!')
  time.sleep(0.01)
  print(f"Thread {thread_num} finished executing!!")


if __name__ == "__main__":
  thread_pool = list()
  for i in range(0, 3):
    thread = threading.Thread(target=my_fun, args=(i,))
    thread.start()
    thread_pool.append(thread)

  for thread in thread_pool:
    thread.join()

  print("Main done!")
