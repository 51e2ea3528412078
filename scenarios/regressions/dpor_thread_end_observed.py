# A thread's end observed through is_alive() and threading.enumerate(): both are
# happens-before edges from the end, and DPOR must try the orders in which the worker ends
# before and after the question.
import threading

x = 0


def worker():
    global x
    x = 1


t = threading.Thread(target=worker)
t.start()
if not t.is_alive():
    print("ended", x)
if t not in threading.enumerate():
    print("gone", threading.active_count())
t.join()
