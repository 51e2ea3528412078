# notes 004, "Creating thread by subclassing theading.Thread", fixed: run() takes `self`.
# Adapted: nothing else.
# python3: always "Hello from a separate thread!!".
import threading
class MyThread(threading.Thread):
  def run(self):
    print("Hello from a separate thread!!")

my_thread = MyThread()
my_thread.start()
# wait for my_thread to finish
my_thread.join()
