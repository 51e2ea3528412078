import threading
import time
import time as clock
from threading import Thread, Lock as L
from time import sleep

lock = L()
t = Thread(target=sleep, args=(0.01,))
t.start()
t.join()
time.sleep(0)
clock.sleep(0)
print(threading.active_count())
