# A missing class attribute.
class A:
    pass
print(A.x)
