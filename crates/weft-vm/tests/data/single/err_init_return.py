# __init__ returning a value.
class A:
    def __init__(self):
        return 1
A()
