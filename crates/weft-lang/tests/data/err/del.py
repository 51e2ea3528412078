class Box:
    pass


box = Box()
del (box, box)
del [box]
