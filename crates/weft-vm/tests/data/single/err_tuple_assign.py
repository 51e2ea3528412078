# Assigning into a tuple.
t = (1,)
t[0] = 2
