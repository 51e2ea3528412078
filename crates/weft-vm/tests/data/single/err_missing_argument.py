# A call with a missing argument.
def f(a, b, c=1):
    return a + b + c
print(f(1, 2))
f(1)
