# A daemon thread is abandoned when the main thread ends.
import threading
import time

def ticker():
    while True:
        print("tick")
        time.sleep(1)

t = threading.Thread(target=ticker, daemon=True)
t.start()
print("main done", t.daemon)
