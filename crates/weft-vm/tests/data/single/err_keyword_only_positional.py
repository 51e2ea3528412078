def f(a, *, b):
    return a


f(1, 2, b=3)
