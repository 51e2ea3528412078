import threading

lock = threading.Lock()
other = threading.Lock()
count = 0

with lock:
    count += 1

with lock as held, other:
    print(held)

with lock:
    with other:
        count += 1


def take(items):
    for item in items:
        with lock:
            if item == 1:
                continue
            if item == 2:
                break
            if item == 3:
                return item
    with lock:
        with other:
            return count


while True:
    with lock:
        break

print(take([1, 2, 3]))
