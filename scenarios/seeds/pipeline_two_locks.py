# weft-expect: deadlock
# notes 002, "Producer-Consumer Pipeline" (In [20] and In [24]): a producer and a consumer hand
# messages over through two locks, in a pool of two workers. As in the note, the program never
# ends: the note's cells never import `time`, so the consumer's first time.sleep raises
# NameError, which the pool stores in the task's Future and nobody reads; the producer then
# waits forever for producer_lock and the with block waits forever for the producer. The
# consumer also prints self.message before acquiring the lock, so it may print a stale message
# (even None). Both bugs are kept; pipeline_two_locks_fixed.py fixes them.
# oracle-mask: \d+
# Adapted: nothing (the random messages differ between runs: the oracle masks numbers).
# python3: an empty line, then "producing message of N" twice, "consuming message of N" (or
# None) and a third "producing message of N" in varying order, then it hangs.
import random
import threading
import concurrent.futures

FINISH = 'THE END'
class Pipeline:
    def __init__(self, capacity):
        self.capacity = capacity
        self.message = None
        self.producer_lock = threading.Lock()
        self.consumer_lock = threading.Lock()
        print()
        self.consumer_lock.acquire()
    def set_message(self, message):
        print(f'producing message of {message}')
        producer_pipeline.append(message)
        self.producer_lock.acquire()
        self.message = message
        self.consumer_lock.release()
    def get_message(self):
        print(f'consuming message of {self.message}')
        self.consumer_lock.acquire()
        message = self.message
        self.producer_lock.release()
        consumer_pipeline.append(message)
        return message

def producer(pipeline):
    for _ in range(pipeline.capacity):
        message = random.randint(1, 100)
        pipeline.set_message(message)
    pipeline.set_message(FINISH)

def consumer(pipeline):
    message = None
    while message is not FINISH:
        message = pipeline.get_message()
        if message is not FINISH:
            time.sleep(random.random())

producer_pipeline = []
consumer_pipeline = []

pipeline = Pipeline(10)
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    ex.submit(producer, pipeline)
    ex.submit(consumer, pipeline)
print(f'producer: {producer_pipeline}')
print(f'consumer: {consumer_pipeline}')
