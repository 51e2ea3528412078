counter = 100


def factory(base):
    offset = 10

    class Adder:
        scale = 2

        def add(self, value):
            return base + offset + value

        def doubled(self):
            return [self.add(v) * Adder.scale for v in range(2)]

    return Adder()


adder = factory(1)
print(adder.add(5), adder.doubled())


def defaults():
    local = 3
    return (lambda x=local: x)(), (lambda: local)()


print(defaults())


def handler_closure():
    try:
        raise ValueError("captured")
    except ValueError as error:
        keep = lambda: str(error)
        text = keep()
    try:
        keep()
    except NameError as missing:
        return text, str(missing)


print(handler_closure())


def parameter_cell(n):
    def inner():
        nonlocal n
        n += 1
        return n

    inner()
    return inner()


print(parameter_cell(5))


def recursive():
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)

    return fact(5)


print(recursive())


def global_shadow():
    counter = "local"

    def inner():
        global counter
        counter += 1
        return counter

    return inner(), counter


print(global_shadow(), counter)


def deleted_cell():
    value = 1

    def read():
        return value

    del value
    try:
        read()
    except NameError as error:
        return str(error)


print(deleted_cell())


class Config:
    names = [n.upper() for n in ["a", "b"]]
    size = 2


print(Config.names, Config.size)


def loop_closures():
    funcs = []
    for i in range(3):
        def show():
            return i

        funcs.append(show)
    return [f() for f in funcs]


print(loop_closures())


def try_in_loop_with_closure():
    total = 0

    def add(x):
        nonlocal total
        total += x

    for item in [1, "a", 2]:
        try:
            add(item)
        except TypeError:
            continue
        finally:
            add(0)
    return total


print(try_in_loop_with_closure())
