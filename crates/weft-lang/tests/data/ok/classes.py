import threading


class Account:
    """A bank account."""

    rate = 2
    kind = "savings"

    def __init__(self, balance=0):
        self.balance = balance
        self.lock = threading.Lock()

    def deposit(self, amount):
        with self.lock:
            self.balance += amount

    def report(self):
        return f"{self.kind}: {self.balance}"


class Worker(threading.Thread):
    def __init__(self, account):
        threading.Thread.__init__(self)
        self.account = account

    def run(self):
        self.account.deposit(10)


class Empty:
    pass


def factory():
    class Local:
        def method(self):
            return 1

    return Local()


account = Account(100)
worker = Worker(account)
worker.start()
worker.join()
print(account.report(), Empty(), factory().method())
