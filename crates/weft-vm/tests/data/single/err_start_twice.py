# Starting a thread twice.
import threading
def work():
    print("working")
t = threading.Thread(target=work)
t.start()
t.join()
t.start()
