import threading


def worker(n, label="w", flag=False):
    return n


t = threading.Thread(target=worker, args=(1,), name="first")
t.start()
t.join()
print(worker(1, label="x"), worker(2, "y", flag=True))
box = {}
box["key"] = worker(3)
print(box["key"], len(box))
t.daemon = True
print(t.daemon, t.name)
values = [1, 2]
options = {"sep": "-"}
print(*values, **options)
print(0, *values, end="\n", **options)
