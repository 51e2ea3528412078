# list.index of a missing item.
print(["a"].index("b"))
