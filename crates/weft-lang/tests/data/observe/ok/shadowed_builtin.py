# observe: len(items)
# observe: max(items)
# observe: str(len)
# A module that binds a builtin's name: an observer reads the global, like the module does.
items = [1, 2, 3]


def len(x):
    return 42
