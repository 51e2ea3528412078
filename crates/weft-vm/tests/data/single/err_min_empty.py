# min() of an empty list.
print(min([3, 1]))
min([])
