# notes 002, "Multiple Threads" (In [17]): three threads, each printing, sleeping, printing,
# joined by the main thread. The note's own output shows two prints interleaving mid-line
# ("myfunc3 endedmyfunc1 ended" then an empty line).
# Adapted: time.sleep(10) -> 0.01.
# python3: the three "started" lines in start order mostly, the "ended" lines in any order,
# sometimes interleaved mid-line as in the note.
import time
import threading


def myfunc1(name):
    print(f"my func1 started with {name}")
    time.sleep(0.01)
    print("myfunc1 ended")

def myfunc2(name):
    print(f"my func2 started with {name}")
    time.sleep(0.01)
    print("myfunc2 ended")

def myfunc3(name):
    print(f"my func3 started with {name}")
    time.sleep(0.01)
    print("myfunc3 ended")

print('main started')
t1 = threading.Thread(target=myfunc1, args=['brian'])
t1.start()
t2 = threading.Thread(target=myfunc2, args=['ciran'])
t2.start()
t3 = threading.Thread(target=myfunc3, args=['david'])
t3.start()
t1.join()
t2.join()
t3.join()
print('main ended')
