# The repr of a list nested far deeper than the recursion limit.
x = []
for i in range(3000):
    x = [x]
print(len(x))
print(x)
