a = b = 1
x, y = 1, 2
[p, q] = [3, 4]
(m, (n, o)), r = (5, (6, 7)), 8
counter = 0
counter += 1
data = {"k": 1}
data["k"] += 5
x, y = y, x


class Box:
    pass


box = Box()
box.value = 0
box.value += 10
box.left, box.right = 1, 2
data["a"], data["b"] = 1, 2


def bump():
    local = 0
    local += 1
    global counter
    counter += local
    box.value -= 1
    data["k"] *= 2
    first, second = local, counter
    return first + second


print(a, b, x, y, p, q, m, n, o, r, counter, data, box.value, bump())
first, *rest = [1, 2, 3]
*init, (x, *y) = (1, (2, 3))
