# Lists, tuples and dicts.
items = [3, 1, 2]
items.append(5)
items.insert(0, 9)
items.extend([7, 7])
print(items, len(items), items[0], items[-1], items.count(7), items.index(2))
print(items.pop(), items.pop(0), items)
items.remove(7)
items.reverse()
print(items, 3 in items, 4 in items, 4 not in items)
items.sort()
print(items, sorted([3, 1, 2], reverse=True), sorted(["b", "a", "c"]))
items[1] = 100
print(items, items + [0], [0] * 3, [1, 2] * 2)
nested = [1, "a", (2,), [3, [4]], {"k": (5, 6)}, None, 2.5, True]
print(nested)
print(repr(nested), str(nested))
copy = items.copy()
copy.clear()
print(copy, items)
t = (1, 2, 3)
print(t, t[1], t[-1], len(t), t + (4,), t * 2, (1,), (), 2 in t)
a, b, c = t
print(a, b, c)
x, y = "xy"
print(x, y)
p, q = [10, 20]
p, q = q, p
print(p, q)
d = {"a": 1, "b": 2}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["b"], d.get("z"), d.get("z", 0), "a" in d, "z" in d)
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.pop("b"), d.pop("zz", "default"), d)
print(d.setdefault("a", 99), d.setdefault("new", []), d)
d.update({"x": 1}, y=2)
print(d)
for key in d:
    print(key, d[key])
for key, value in d.items():
    print(key, "=", value)
counts = {}
for word in ["a", "b", "a", "c", "a"]:
    counts[word] = counts.get(word, 0) + 1
print(counts)
mixed = {1: "int", 2.5: "float", (1, 2): "tuple", "s": "str", None: "none", True: "bool"}
print(mixed, mixed[1], mixed[(1, 2)])
print(dict(), dict([("a", 1), ("b", 2)]), dict(k=1), list(), tuple(), list("abc"), tuple([1, 2]))
empty = []
print(empty, not empty, bool(empty), [] == [], {} == {}, {"a": 1} == {"a": 1})
big = {}
for i in range(40):
    big[i] = i * i
print(len(big), big[39], 20 in big, 40 in big)
for i in range(0, 40, 2):
    big.pop(i)
print(len(big), big[39], 20 in big, len(list(big)))
grid = [[0] * 3, [1] * 3]
grid[1][2] = 5
print(grid)
