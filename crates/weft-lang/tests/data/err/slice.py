items = [1, 2, 3]
print(items[1:2])
items[::2] = [0, 0]
items[1:] += [4]
del items[:1]
