# weft-expect: deadlock
# Thread-pool starvation: a pool of one worker runs a task that submits a second task to the
# same pool and waits for its result; the second task is queued behind the first, which holds
# the only worker, so neither finishes.
from concurrent.futures import ThreadPoolExecutor

pool = ThreadPoolExecutor(max_workers=1)


def inner():
    return 42


def outer():
    return pool.submit(inner).result()


print(pool.submit(outer).result())
