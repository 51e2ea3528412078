def f(a, *, b):
    pass


def g(**kwargs):
    pass


def h(a, /, b):
    pass
