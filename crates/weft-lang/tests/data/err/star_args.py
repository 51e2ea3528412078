args = (1, 2)
kw = {"a": 1}
print(*args, **kw)
d = {**kw}
items = [*args]
