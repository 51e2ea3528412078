import threading
lock = threading.Lock()
with lock
    print(1)
