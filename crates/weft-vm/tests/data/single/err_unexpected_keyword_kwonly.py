def f(*, b):
    return b


f(b=1, c=2)
