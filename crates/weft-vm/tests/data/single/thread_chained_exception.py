import threading


def work(table):
    try:
        return table["missing"]
    except KeyError:
        raise RuntimeError("lookup failed")


thread = threading.Thread(target=work, args=({},))
thread.start()
thread.join()
print("main continues")
