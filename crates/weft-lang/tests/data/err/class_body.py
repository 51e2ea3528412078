class A:
    x = 1
    if x:
        y = 2
    for i in range(3):
        pass
    print("hi")


class B(A, object):
    pass


class C(metaclass=type):
    pass
