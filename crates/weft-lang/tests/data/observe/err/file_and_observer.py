# observe: counter
# observe: lambda: 1
# observe: len(items)
# observe: items[::2]
# Problems in the file come first, then each observer's, in order.
counter = 0
items = []
del items
try:
    pass
except:
    pass
