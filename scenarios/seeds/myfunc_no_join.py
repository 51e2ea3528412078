# notes 002, "Two Threads" (In [9]): the main thread starts myfunc in a thread and ends
# without joining it; the program still waits for the (non-daemon) thread.
# Completed with the note's myfunc (In [5]). Adapted: time.sleep(10) -> 0.01.
# python3: "main started", then "my func started with brian" and "main ended" in either
# order, then "myfunc ended".
import time
import threading


def myfunc(name):
    print(f"my func started with {name}")
    time.sleep(0.01)
    print("myfunc ended")


print('main started')
t = threading.Thread(target=myfunc, args=['brian'])
t.start()
print('main ended')
