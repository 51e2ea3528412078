# time.sleep with a negative length.
import time
time.sleep(0)
time.sleep(0.01)
print("slept")
time.sleep(-1)
