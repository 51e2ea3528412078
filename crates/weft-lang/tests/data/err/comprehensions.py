squares = [x * x for x in range(10)]
d = {x: 1 for x in range(3)}
g = sum(x for x in range(3))
s = {x for x in range(3)}
