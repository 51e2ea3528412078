import threading


def show(*args, **kwargs):
    return f"args={args} kwargs={sorted(kwargs.items())}"


values = [1, 2]
options = {"b": 3}
print(show(*values))
print(show(0, *values, 9, *(7, 8)))
print(show(**options, c=4))
print(show(*values, a=1, **options))
print(*values, sep="-")
print(*"abc")
point = {"x": 1, "y": 2}


def place(x, y, label="p"):
    return f"{label}({x}, {y})"


print(place(**point), place(*values, **{"label": "q"}))
results = []
thread = threading.Thread(target=results.append, args=(5,))
thread.start()
thread.join()
print(results)
