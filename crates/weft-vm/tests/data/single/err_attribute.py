# A missing attribute on a user object.
class Account:
    def __init__(self):
        self.balance = 0

a = Account()
print(a.balance)
print(a.owner)
