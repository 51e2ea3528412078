def make_counter(start=0):
    count = start

    def increment(step=1):
        nonlocal count
        count += step
        return count

    def read():
        return count

    return increment, read


increment, read = make_counter(10)
increment()
increment(5)
print(read())


def make_adders():
    adders = []
    for n in range(3):
        adders.append(lambda x, n=n: x + n)
    late = [lambda x: x + n for n in range(3)]
    return [f(10) for f in adders], [f(10) for f in late]


print(make_adders())


def outer():
    level = "outer"

    def middle():
        def inner():
            nonlocal level
            level = "inner"
            return level

        return inner()

    result = middle()
    return result, level


print(outer())


def shadowing(x):
    def get():
        return x

    x = x * 2
    return get()


print(shadowing(4))


def param_cell(value):
    def show():
        return value

    value += 1
    return show


print(param_cell(1)())
scale = 3
double = lambda v: v * 2
compose = lambda f, g: lambda v: f(g(v))
print(compose(double, lambda v: v + scale)(1))
print(sorted(["bb", "a", "ccc"], key=lambda s: -len(s)))
print((lambda *args: len(args))(1, 2, 3))


def uses_global():
    global scale
    scale = 4

    def inner():
        return scale

    return inner()


print(uses_global(), scale)
