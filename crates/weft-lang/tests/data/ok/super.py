class Base:
    def __init__(self):
        self.x = 1


class Child(Base):
    def __init__(self):
        super().__init__()
