# A missing attribute on an int.
x = 5
print(x.real if False else x)
x.foo
