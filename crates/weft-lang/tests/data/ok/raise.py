def f():
    raise


def g():
    raise ValueError() from None
