# A Thread subclass that never calls Thread.__init__.
import threading
class Worker(threading.Thread):
    def __init__(self):
        self.x = 1
    def run(self):
        print("run")
Worker().start()
