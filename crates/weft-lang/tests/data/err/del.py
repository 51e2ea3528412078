class Box:
    pass


box = Box()
box.item = 1
del box.item
del (box, box)
