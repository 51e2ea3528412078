def max(a, b):
    return a if a > b else b


def reader():
    return shared + len([1]) + max(1, 2)


def writer():
    global shared
    shared = 5


def uses_later_global():
    return later


def shadow(print):
    return print


writer()
later = 1
global shared
print(reader(), uses_later_global(), shadow(3), undefined_name if False else 0)
