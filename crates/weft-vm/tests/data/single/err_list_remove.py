# Removing a missing item.
items = [1, 2]
items.remove(2)
items.remove(5)
