import threading

lock = threading.Lock()


class Box:
    pass


box = Box()
with lock as box.held:
    pass
