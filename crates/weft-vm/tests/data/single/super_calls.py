import threading


class Base:
    def __init__(self, name):
        self.name = name
        print("Base init", name)

    def describe(self):
        return f"Base({self.name})"


class Middle(Base):
    def __init__(self, name, level):
        super().__init__(name)
        self.level = level

    def describe(self):
        return "Middle/" + super().describe()


class Leaf(Middle):
    def __init__(self):
        super(Leaf, self).__init__("leaf", 2)

    def describe(self):
        inner = lambda: super(Leaf, self).describe()
        return "Leaf/" + inner()


leaf = Leaf()
print(leaf.describe(), leaf.level)


class Plain:
    def __init__(self):
        super().__init__()
        self.ok = True


print(Plain().ok)


class Worker(threading.Thread):
    def __init__(self, label):
        super().__init__(name=f"worker-{label}")
        self.label = label

    def run(self):
        print("running", self.name, self.label)


worker = Worker("a")
worker.start()
worker.join()
print(worker.name, worker.is_alive())


class Failure(RuntimeError):
    def __init__(self, reason):
        super().__init__("failed: " + reason)
        self.reason = reason


try:
    raise Failure("disk")
except RuntimeError as error:
    print(error, error.reason, error.args)
print(type(leaf).__name__, type(3).__name__, type(leaf) is Leaf, isinstance(leaf, (int, Base)))
