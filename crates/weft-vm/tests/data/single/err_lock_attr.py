# Setting an attribute on a lock.
import threading
lock = threading.Lock()
lock.name = "x"
