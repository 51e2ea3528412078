# Popping an empty list.
items = [1]
print(items.pop())
items.pop()
