table = {"a": 1}
del table["b"]
