# Setting daemon after start.
import threading
def work():
    pass
t = threading.Thread(target=work)
t.daemon = True
print(t.daemon)
t.start()
t.join()
t.daemon = False
