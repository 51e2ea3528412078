first, *rest = [1, 2, 3]
print(first, rest)
*init, last = (1, 2, 3)
print(init, last)
a, *b, c = "xy"
print(a, b, c)
head, *tail = range(4)
print(head, tail)
for x, *ys in [(1, 2, 3), (4,)]:
    print(x, ys)


def split(items):
    [one, *others] = items
    return one, others


print(split("abc"))
