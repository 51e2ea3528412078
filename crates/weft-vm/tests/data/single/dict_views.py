# Dict views are live and print like CPython's.
d = {"a": 1, "b": 2}
keys = d.keys()
values = d.values()
items = d.items()
print(keys, values, items)
d["c"] = 3
print(keys, len(keys), "a" in keys, "z" in keys, 3 in values, ("c", 3) in items)
print(list(keys), list(values), list(items), sorted(keys, reverse=True))
for k, v in items:
    print(k, v, end="; ")
print()
print(bool({}.keys()), bool(keys), len(d.items()), sum(d.values()), max(d.keys()))
print(tuple(d.values()))
e = {}
e.update(d.items())
print(e)
