class Box:
    pass


box = Box()
del box.item
