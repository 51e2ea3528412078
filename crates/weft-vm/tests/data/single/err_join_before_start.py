# Joining a thread that was never started.
import threading
t = threading.Thread(target=print, args=("x",))
print(t.name, t.is_alive())
t.join()
