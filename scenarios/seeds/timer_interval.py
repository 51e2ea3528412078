# notes 003, "`Timer`": `t = Timer(interval, function, args=None, kwargs=None)` calls function
# in a new thread once the interval has elapsed.
# Completed: an interval of 0.01 s, a function that prints, t.start(), and a print in the main
# thread; the program waits for the (non-daemon) timer thread.
# python3: "timer started" and "function called after the interval", usually in this order
# (the other in 4 of 24 oracle runs: the main thread can be descheduled for 0.01 s).
from threading import Timer


def function():
    print("function called after the interval")


interval = 0.01
t = Timer(interval, function, args=None, kwargs=None)
t.start()
print("timer started")
