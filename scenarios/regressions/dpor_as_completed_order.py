# as_completed yields futures in the order they finish. DPOR once printed only "0 1": the race
# between storing the first result and the iterator's wait was judged irreversible because the
# wait could not run in the state before it, although it could once the second task had
# finished. A race is now reversible when the later operation can run after the independent
# events that follow the earlier one.
from concurrent import futures


def task(n):
    return n


ex = futures.ThreadPoolExecutor(max_workers=2)
fs = [ex.submit(task, i) for i in range(2)]
for f in futures.as_completed(fs):
    print(f.result())
