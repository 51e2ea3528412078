# Classes: __init__, methods, attributes, class attributes, inheritance, __str__ and __repr__.
class Account:
    bank = "weft bank"
    count = 0

    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        Account.count += 1

    def deposit(self, amount):
        self.balance += amount
        return self.balance

    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
        return self.balance

    def __str__(self):
        return "Account(" + self.owner + ", " + str(self.balance) + ")"


class Savings(Account):
    rate = 0.02

    def __init__(self, owner, balance=0, rate=0.05):
        Account.__init__(self, owner, balance)
        self.rate = rate

    def add_interest(self):
        self.balance = self.balance + self.balance * self.rate
        return self.balance


a = Account("ann", 100)
print(a.deposit(50), a.withdraw(30), a.balance, a.owner, a.bank, Account.bank)
print(a)
print(str(a), f"{a}", "%s" % a)
s = Savings("bob", 200)
print(s.add_interest(), s.deposit(1), s.rate, Savings.rate, s.bank, Account.count)
print(isinstance(s, Savings), isinstance(s, Account), isinstance(a, Savings), isinstance(a, object))
a.nickname = "annie"
print(a.nickname, s.owner)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def moved(self, dx, dy=0):
        return Point(self.x + dx, self.y + dy)


p = Point(1, 2)
print(p, [p, p.moved(3)], p.moved(1, dy=5), repr(p))


class Counter:
    def __init__(self):
        self.counts = {}

    def add(self, key):
        self.counts[key] = self.counts.get(key, 0) + 1


c = Counter()
for k in "abracadabra":
    c.add(k)
print(c.counts)


class Empty:
    pass


e = Empty()
e.value = 3
print(e.value, Empty.__name__, Point.__name__)


class Base:
    def hello(self):
        return "base hello from " + self.name()

    def name(self):
        return "Base"


class Derived(Base):
    def name(self):
        return "Derived"


print(Derived().hello(), Base().hello())
method = p.moved
print(method(10))
