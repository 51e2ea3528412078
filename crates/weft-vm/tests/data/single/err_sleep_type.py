# time.sleep of a str.
import time
time.sleep("1")
