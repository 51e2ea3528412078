# Unpacking too many values.
a, b = [1, 2, 3]
