# A failing assert with a message.
x = 3
assert x == 3, "fine"
assert x > 5, "x too small: " + str(x)
