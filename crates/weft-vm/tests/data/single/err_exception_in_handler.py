def load(key):
    table = {"a": 1}
    try:
        return table[key]
    except KeyError:
        return int(key)


load("a")
load("b")
