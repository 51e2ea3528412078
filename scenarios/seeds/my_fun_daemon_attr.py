# notes 004, "Points about thread", first example: non-daemon threads run my_fun, a third thread
# is made a daemon through its `daemon` attribute and "will end as soon as main ends"; each
# thread prints how long it took.
# oracle-mask: (?<=total time taken: )\d+\.\d\d
# Adapted: time.sleep(1) -> 0.01, and thread2 is left out (thread1 and the daemon remain), so
# that at most three threads print at once. The time taken differs between runs: the oracle
# masks it.
# python3: "Main done!!" (first or last), thread1's two lines, and the daemon's two lines when
# it wakes before the program ends (it sleeps as long as thread1, which the program waits for,
# so the note's "won't print anything" often does not hold).
import time
import threading
def my_fun(par1, par2="default"):
  start_time = time.time()
  time.sleep(0.01)
  print(f'hello after sleep!! {par1}, {par2}')
  end_time = time.time()
  time_taken = end_time - start_time
  print("total time taken: {:.2f}".format(time_taken))


if __name__ == "__main__":
  thread1 = threading.Thread(target=my_fun, args=(1,))
  thread1.start()
  deamon_thread = threading.Thread(target=my_fun, args=("deamon",))
  deamon_thread.daemon = True   # this deamon thread will end as soon as main ends, won't print anything
  deamon_thread.start()
  print("Main done!!")
