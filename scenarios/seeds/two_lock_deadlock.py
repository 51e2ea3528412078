# weft-expect: deadlock
# The two-lock deadlock from the notes (004, "Deadlock"): each thread takes one lock and then
# waits for the other's. Under CPython the sleeps make it hang almost every time; weft finds
# the schedules that deadlock and the ones that do not.
import threading
import time

lock1 = threading.Lock()
lock2 = threading.Lock()


def fun1():
    with lock1:
        print("Thread 1 working!!")
        time.sleep(.1)  # this will give time for 2nd thread to run
        with lock2:  # this lock is with another thread
            print("Thread 1 won't reach here!!")


def fun2():
    with lock2:
        print("Thread 2 working!!")
        time.sleep(.1)
        with lock1:  # this lock is with another thread
            print("Thread 1 won't reach here!!")


thread1 = threading.Thread(target=fun1)
thread2 = threading.Thread(target=fun2)

thread1.start()
thread2.start()
