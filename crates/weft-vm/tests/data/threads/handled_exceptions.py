import threading

counter = 0


def work():
    global counter
    try:
        try:
            counter += 1
            raise ValueError("local")
        except ValueError as error:
            message = str(error)
        finally:
            cleanup = [message]
    except Exception:
        pass


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(counter)
