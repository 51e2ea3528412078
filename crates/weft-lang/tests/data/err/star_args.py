args = (1, 2)
kw = {"a": 1}
print(*args)
print(**kw)
d = {**kw}
