# notes 002, "Producer-Consumer Pipeline", fixed: pipeline_two_locks.py with `import time`
# (the consumer no longer dies on its first sleep, so the hand-over completes) and the consumer
# printing the message it took, after acquiring consumer_lock, instead of whatever
# self.message holds before.
# oracle-mask: \d+
# Adapted: Pipeline(10) -> Pipeline(2) (two random messages, then FINISH), and
# time.sleep(random.random()) -> time.sleep(random.random() / 10).
# python3: an empty line, the producer's and consumer's lines interleaved (each message
# consumed after it is produced), then both lists, equal: [N, N, 'THE END'].
import random
import threading
import time
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
        self.consumer_lock.acquire()
        message = self.message
        print(f'consuming message of {message}')
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
            time.sleep(random.random() / 10)

producer_pipeline = []
consumer_pipeline = []

pipeline = Pipeline(2)
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    ex.submit(producer, pipeline)
    ex.submit(consumer, pipeline)
print(f'producer: {producer_pipeline}')
print(f'consumer: {consumer_pipeline}')
