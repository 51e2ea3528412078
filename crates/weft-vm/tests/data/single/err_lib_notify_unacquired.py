import threading
threading.Condition().notify()
