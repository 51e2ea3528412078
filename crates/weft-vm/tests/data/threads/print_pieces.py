# print(a, b) writes four pieces; other threads may write between them.
import threading

def talk(tag):
    print(tag, 1)

t = threading.Thread(target=talk, args=("B",), name="talker")
t.start()
print("A", 0)
