# A thread whose target is the builtin print, while main fails right after a shared read:
# every piece the thread prints is still its own step.
import threading

t = threading.Thread(target=print, args=("x", "y"))
t.start()
print(missing_name)
