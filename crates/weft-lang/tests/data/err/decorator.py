def deco(f):
    return f


@deco
def g():
    pass


class A:
    @staticmethod
    def m():
        pass
