# observe: lambda: counter
# observe: [x for x in items]
# observe: (y := 1)
# observe: items[1:]
# observe: max(*items)
# observe: {1, 2}
# observe: f(a=1, a=2)
# observe: super().x
items = [1, 2]
counter = 0
