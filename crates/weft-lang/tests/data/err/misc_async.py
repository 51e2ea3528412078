def f():
    return
    yield
x = [i async for i in y]
