# A Thread subclass that overrides run() and calls Thread.__init__ itself.
import threading

class Worker(threading.Thread):
    def __init__(self, label):
        threading.Thread.__init__(self)
        self.label = label

    def run(self):
        print("running", self.label, self.name)

w = Worker("w1")
print(w.name, w.is_alive(), w.daemon)
w.start()
w.join()
print(w.is_alive())
w.start()
