items = [1, 2, 3]
table = {"a": 1}
del items[0], table["a"]
name = 1
del name


def local():
    value = 1
    del value


class Box:
    pass


box = Box()
box.item = 1
del box.item
