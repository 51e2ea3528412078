def f():
    print(x)
    global x


def g():
    x = 1
    global x


def h(x):
    global x
