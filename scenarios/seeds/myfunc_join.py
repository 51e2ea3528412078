# notes 002, "Joining Threads" (In [12]): the main thread joins the thread before "main ended".
# Completed with the note's myfunc (In [5]). Adapted: time.sleep(10) -> 0.01.
# python3: always "main started", "my func started with brian", "myfunc ended", "main ended".
import time
import threading


def myfunc(name):
    print(f"my func started with {name}")
    time.sleep(0.01)
    print("myfunc ended")


print('main started')
t = threading.Thread(target=myfunc, args=['brian'])
t.start()
t.join()
print('main ended')
