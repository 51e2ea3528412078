# weft-expect: maybe-deadlock
# notes 002, "Queue Model" (In [29] and In [30]): a Pipeline subclassing queue.Queue, a producer
# that puts messages until an Event is set, a consumer, and a main thread that sets the Event.
# The consumer's `while not pipeline.empty or not event.is_set()` tests the bound method
# `pipeline.empty` instead of calling it, so it is `while not event.is_set()`: once the Event
# is set the consumer stops even though the producer is blocked in put() on a full queue, and
# the with block waits for the producer forever (the note's KeyboardInterrupt). Kept;
# pipeline_queue_event_fixed.py fixes it.
# oracle-mask: \d+
# Adapted: maxsize=10 -> 1; the producer's `while not event.is_set():` also stops after 2
# messages (a local counter), so every schedule is finite; time.sleep(0.5) before event.set()
# -> 0.01; time.sleep(random.random()) -> time.sleep(random.random() / 10).
# python3: usually ends (the consumer takes the first message, so the producer's second put
# finds room); it hangs when the Event is set before the consumer takes a message while the
# producer waits in put() on the full queue. weft finds both endings.
import random
import threading
import queue
import time
import concurrent.futures

class Pipeline(queue.Queue): #pipeline inherits from Queue class
    def __init__(self):
        super().__init__(maxsize=1) # inherit the init method
    def set_message(self, message):
        print(f'producing message of {message}')
        producer_pipeline.append(message)
        self.put(message)
    def get_message(self):
        message = self.get()
        print(f'consuming message of {message}')
        consumer_pipeline.append(message)
        return message

def producer(pipeline, event):
    produced = 0
    while not event.is_set() and produced < 2:
        produced += 1
        message = random.randint(1, 100)
        pipeline.set_message(message)

def consumer(pipeline, event):
    while not pipeline.empty or not event.is_set():
        print(f'queue size is {pipeline.qsize()}')
        message = pipeline.get_message()
        time.sleep(random.random() / 10)

producer_pipeline = []
consumer_pipeline = []

pipeline = Pipeline()
event = threading.Event() # is either true or false. Initialised as False
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    ex.submit(producer, pipeline, event)
    ex.submit(consumer, pipeline, event)
    time.sleep(0.01)
    event.set()
print(f'producer: {producer_pipeline}')
print(f'consumer: {consumer_pipeline}')
