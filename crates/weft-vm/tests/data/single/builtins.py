# Builtin functions.
print(len("abc"), len([1, 2]), len((1,)), len({"a": 1}), len(range(10)))
print(list(range(5)), list(range(2, 8)), list(range(10, 0, -3)), list(range(0)), list(range(5, 1)))
for i, ch in enumerate("abc"):
    print(i, ch)
for i, ch in enumerate(["x", "y"], start=1):
    print(i, ch)
for a, b in zip([1, 2, 3], "ab"):
    print(a, b)
print(list(zip([1, 2], [3, 4], [5, 6])), list(reversed([1, 2, 3])), list(reversed("ab")))
print(sorted([5, 2, 8]), sorted("hello"), sorted([(2, "b"), (1, "z"), (2, "a")]))
print(min([4, 2, 8]), max("hello"), min(3, 7), max([1, 5], [2, 0]), min([], default=-1))
print(sum(range(101)), sum([1.5, 2.5]), sum([1, 2], 10), abs(-7), abs(3.5), abs(True))
print(any([0, "", None]), any([0, 1]), all([1, "x"]), all([1, 0]), all([]), any([]))
print(isinstance(1, int), isinstance(True, int), isinstance(1.0, int), isinstance("s", (int, str)))
print(isinstance([], list), isinstance({}, dict), isinstance((), tuple), isinstance(1.5, float))
print(repr("x"), repr(1), repr([1, "2"]), str(3), int("12") + 1, float("2.5") * 2, bool("x"))
print(round(7.5), round(8.5), round(-2.5), round(3.14159, 3), round(10, 1))
print(int(True), float(False), int(-0.5), str(-0.0), list((1, 2)), tuple("ab"))
print(max(["apple", "fig", "banana"], key=len), min(["apple", "fig", "banana"], key=len))
print(sorted(["bb", "a", "ccc"], key=len, reverse=True))
words = ["delta", "alpha", "charlie", "bravo"]
words.sort()
print(words)
words.sort(key=len)
print(words)
r = range(1, 10, 2)
print(r, len(r), r[0], r[-1], 5 in r, 4 in r, list(r))
print(range(3), range(0, 10, 3))
