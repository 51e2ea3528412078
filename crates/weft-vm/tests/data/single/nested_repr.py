# User __repr__ methods calling repr of nested objects, and deep but legal structures.
class Node:
    def __init__(self, child):
        self.child = child

    def __repr__(self):
        return "N(" + repr(self.child) + ")"


n = None
for i in range(30):
    n = Node(n)
print(n)
t = ()
for i in range(100):
    t = (t,)
d = {t: "deep key"}
print(d[t], len(str(t)))
deep = []
for i in range(150):
    deep = [deep, i]
print(len(repr(deep)), deep == deep, [[1, [2]]] == [[1, [2]]])
