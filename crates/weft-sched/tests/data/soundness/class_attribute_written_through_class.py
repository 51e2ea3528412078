# weft: --print atomic
# Shrunk by the soundness campaign (soak seed 1, case 270, case seed 0x7c0197938df985cd).
# DFS finds what DPOR misses: a class attribute written through the class (`Base.shared += 1`) and
# read through an instance (`obj.shared`): DPOR sees no dependence between them
import threading


class Base:
    shared = 0
    flag = True

    def __init__(self):
        self.val = 0

    def bump(self):
        self.val += 1


class Sub(Base):
    pass


obj = Sub()
base = Base()


def worker1():
    Base.shared += 1


def main():
    t1 = threading.Thread(target=worker1)
    t1.start()
    print(obj.shared)
    t1.join()


main()
