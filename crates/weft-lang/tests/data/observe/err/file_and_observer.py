# observe: counter
# observe: {1, 2}
# observe: len(items)
# observe: items[1:] = []
# Problems in the file come first, then each observer's, in order.
counter = 0
items = []
del (items, counter)
seen = {counter}
