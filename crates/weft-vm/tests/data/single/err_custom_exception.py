# A user exception class: CPython prints it qualified with __main__.
class BankError(Exception):
    pass

class OverdraftError(BankError):
    def __init__(self, amount):
        self.amount = amount

print(isinstance(OverdraftError(5), BankError))
raise OverdraftError(42)
