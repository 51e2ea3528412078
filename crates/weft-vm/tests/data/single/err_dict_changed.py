# Growing a dict while iterating it.
d = {"a": 1}
for k in d:
    d[k + "x"] = 2
