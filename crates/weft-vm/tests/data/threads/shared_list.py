# Appends to a shared list and iteration over it; the list is a single location.
import threading

results = []
data = {"total": 0}

def produce(n):
    for i in range(n):
        results.append(i)
        data["total"] += i

t = threading.Thread(target=produce, args=(2,))
t.start()
produce(1)
t.join()
for item in results:
    print(item, end=" ")
print(len(results), data)
