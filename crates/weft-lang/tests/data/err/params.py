def h(a, /, b):
    pass


def k(a, *, a):
    pass


def m(*args, **args):
    pass
