# A list as a dict key.
d = {}
d[[1, 2]] = 3
