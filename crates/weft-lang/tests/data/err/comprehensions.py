xs = [1, 2, 3]
s = {x for x in xs}
g = (x for x in xs)
pairs = list((x, y) for x in xs for y in xs)
total = sum((x for x in xs), 10)
