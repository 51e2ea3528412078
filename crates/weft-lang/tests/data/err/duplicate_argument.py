def f(a, b, a):
    pass


def g(x, *x):
    pass
