import threading

lock = threading.Lock()
shared = []


def drain(limit):
    count = 0
    while count < limit:
        with lock:
            count += 1
            if count == 2:
                continue
            if count > 5:
                break
            shared.append(count)
    else:
        return -1
    for item in shared:
        for other in shared:
            with lock:
                if other > item:
                    return other
    return count


class Counter:
    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

    def increment(self):
        with self.lock:
            self.value += 1
        return self.value


print(drain(10), Counter().increment())
