# notes 004, "Creating thread by subclassing theading.Thread": MyThread overrides run() but
# declares it without `self`, so the started thread fails with a TypeError before printing
# anything; the program itself ends normally. Kept; subclass_thread_run_no_self_fixed.py fixes
# it.
# Adapted: nothing.
# python3: no output; on stderr "Exception in thread Thread-1:" and "TypeError: MyThread.run()
# takes 0 positional arguments but 1 was given"; exit status 0.
import threading
class MyThread(threading.Thread):
  def run():
    print("Hello from a separate thread!!")

my_thread = MyThread()
my_thread.start()
# wait for my_thread to finish
my_thread.join()
