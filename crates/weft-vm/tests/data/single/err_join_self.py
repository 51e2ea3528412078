# Joining the current thread.
import threading
me = threading.current_thread()
print(me.name, me.is_alive())
me.join()
