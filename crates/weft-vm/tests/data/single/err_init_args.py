# A class without __init__ called with arguments.
class A:
    pass
A(1)
