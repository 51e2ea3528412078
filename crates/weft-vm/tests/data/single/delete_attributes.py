class Box:
    kind = "box"

    def __init__(self):
        self.item = 1


box = Box()
del box.item
print("deleted")
try:
    print(box.item)
except AttributeError as error:
    print(error)
box.item = 2
print(box.item)
del Box.kind
try:
    print(box.kind)
except AttributeError as error:
    print(error)
