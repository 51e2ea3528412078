def outer():
    count = 0

    def inner():
        return count + 1

    return inner()


def make_counter():
    count = 0

    def increment(step=1):
        nonlocal count
        count += step
        return count

    return increment


def shadow(x):
    def inner():
        return x

    x = x + 1
    return inner
