# Too many positional arguments with defaults.
def f(a, b=1):
    return a
print(f(1, 2))
f(1, 2, 3)
