# observe: items.pop()
# observe: items
# observe: counter.bump()
# observe: counter.bump()
# observe: str(counter)
# observe: broken
# Observers run in order on one scratch copy: each sees what the previous ones did.
class Counter:
    def __init__(self):
        self.n = 0

    def bump(self):
        self.n += 1
        return self.n

    def __str__(self):
        return "Counter at " + str(self.n)


class Broken:
    def __repr__(self):
        raise ValueError("no repr for you")


items = [1, 2, 3]
counter = Counter()
broken = Broken()
