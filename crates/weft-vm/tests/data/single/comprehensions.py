xs = [3, 1, 4, 1, 5]
print([x * x for x in xs])
print([x for x in xs if x > 1 if x != 4])
print([(x, y) for x in range(3) for y in range(x)])
print([[y for y in range(x)] for x in range(3)])
print({name: len(name) for name in ["ab", "c"]})
print({k: v for k, v in enumerate(xs) if v % 2})
print(sum(x for x in xs), max(x * 2 for x in xs), any(x > 4 for x in xs))
print(", ".join(str(x) for x in xs), sorted(x for x in xs))
print(list(x for x in "abc"), tuple(x for x in range(2)))
x = "module x"
squares = [x for x in range(3)]
print(x, squares)
print([x for x in [x]])
try:
    print(y)
except NameError as error:
    print(error)
[y for y in range(2)]
try:
    print(y)
except NameError as error:
    print(error)


def in_function(factor):
    values = [v * factor for v in range(3)]
    return values, {v: factor for v in values}


print(in_function(2))
matrix = [[1, 2], [3, 4]]
print([cell for row in matrix for cell in row])
print([(a, b) for a, b in zip("ab", "cd")])
