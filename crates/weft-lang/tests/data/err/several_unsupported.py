import os


def f(*, x):
    return lambda: x


try:
    pass
finally:
    pass
del f
