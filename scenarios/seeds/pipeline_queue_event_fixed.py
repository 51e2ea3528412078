# notes 002, "Queue Model", fixed: pipeline_queue_event.py where the producer, once the Event
# is set, puts a last FINISH message and the consumer stops when it takes FINISH, so every
# message put is taken and nobody waits forever. (Only calling `pipeline.empty()` would not be
# enough: the consumer could find the queue empty, block in get(), and the producer stop.)
# oracle-mask: \d+
# Adapted as pipeline_queue_event.py (maxsize=1; the producer stops after 1 message or when
# the Event is set; short sleeps).
# python3: always ends; the producer's lines, the consumer's "queue size is 0/1" and
# "consuming" lines interleaved; both lists equal, ending with 'THE END'.
import random
import threading
import queue
import time
import concurrent.futures

FINISH = 'THE END'

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
    while not event.is_set() and produced < 1:
        produced += 1
        message = random.randint(1, 100)
        pipeline.set_message(message)
    pipeline.set_message(FINISH)

def consumer(pipeline, event):
    message = None
    while message is not FINISH:
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
