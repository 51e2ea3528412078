xs = [1, 2, 3]
squares = [x * x for x in xs if x > 1]
pairs = [(x, y) for x in xs for y in range(x) if y]
index = {name: position for position, name in enumerate(["a", "b"])}
total = sum(x for x in xs)
key = lambda item, offset=1: item + offset


def scale(factor):
    return [x * factor for x in xs]
tail = xs[1:]
reverse = xs[::-1]
middle = xs[1:-1:1]
