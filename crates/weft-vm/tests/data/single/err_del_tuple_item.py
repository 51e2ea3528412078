pair = (1, 2)
del pair[0]
