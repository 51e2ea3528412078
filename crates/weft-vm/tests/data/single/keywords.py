import threading


def configure(name, *, retries=3, verbose=False, **options):
    return f"{name} retries={retries} verbose={verbose} options={sorted(options.items())}"


print(configure("a"))
print(configure("b", retries=5, color="red", size=2))
print(configure(name="c", verbose=True))


def only_keywords(*, key):
    return key * 2


print(only_keywords(key=21))


def everything(a, b=2, *rest, c, d=4, **extra):
    return a, b, rest, c, d, extra


print(everything(1, c=3))
print(everything(1, 5, 6, 7, c=8, z=9))
show = lambda *, tag="t", **kw: (tag, kw)
print(show(), show(tag="x", y=1))
results = []


def worker(index, *, scale=1, **labels):
    results.append((index * scale, labels))


thread = threading.Thread(target=worker, args=(2,), kwargs={"scale": 10, "who": "w"})
thread.start()
thread.join()
print(results)
