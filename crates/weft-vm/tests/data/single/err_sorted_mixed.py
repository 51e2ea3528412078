# Sorting incomparable values.
sorted([1, "a", 2])
