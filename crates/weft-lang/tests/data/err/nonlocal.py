nonlocal top


def outer(p):
    x = 1

    def no_binding():
        nonlocal missing
        missing = 1

    def parameter(x):
        nonlocal x

    def assigned_first():
        x = 2
        nonlocal x

    def used_first():
        print(x)
        nonlocal x

    def global_only():
        nonlocal counter

    return p


counter = 0
