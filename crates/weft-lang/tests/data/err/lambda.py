f = lambda a, /, b: a + b
g = lambda: (yield)
h = lambda a, a: a
