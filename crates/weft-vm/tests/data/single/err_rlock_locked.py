# RLock has no locked() on 3.11.
import threading
r = threading.RLock()
with r:
    print("inside")
print(r.locked())
