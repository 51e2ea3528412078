x = 1
assert x == 1
assert x > 0, "x must be positive"
if x > 5:
    raise ValueError("too big")
if x > 6:
    raise RuntimeError
