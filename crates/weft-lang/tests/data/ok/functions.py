total = 0


def add(a, b=2, c=3):
    return a + b + c


def log(*args):
    print(len(args), args)


def head(first, *rest):
    return first


def nothing():
    pass


def deposit(amount):
    global total
    balance = total
    balance += amount
    total = balance


def set_only():
    global created
    created = 1


def outer(x):
    def helper(y):
        return y * 2

    return helper(x)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def early(items):
    for item in items:
        if item > 2:
            return item
    return None


set_only()
print(add(1), add(1, c=5), log(1, 2), head(1, 2, 3), nothing(), deposit(5), outer(2), fib(6))
print(created, early([1, 2, 3]))
