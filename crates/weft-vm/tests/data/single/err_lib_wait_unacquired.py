import threading
threading.Condition(threading.Lock()).wait()
