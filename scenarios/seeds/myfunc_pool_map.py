# notes 002, "Thread Pool" (In [19]): map myfunc over names in a pool of 3 workers while the
# main thread prints inside the with block (so "main ended" comes before the tasks end).
# Adapted: time.sleep(10) -> 0.01, and two names instead of three (['brian', 'ciran']) so that
# at most three threads print at once.
# python3: "main started", the two "started" lines and "main ended" in varying order, then the
# two "ended" lines.
import time
import concurrent.futures

def myfunc(name):
    print(f"my func started with {name}")
    time.sleep(0.01)
    print(f"myfunc ended with {name}")

with concurrent.futures.ThreadPoolExecutor(max_workers=3) as e:
    print('main started')
    e.map(myfunc, ['brian', 'ciran'])
    print('main ended')

# doesnt print out correctly as main doees not finish
