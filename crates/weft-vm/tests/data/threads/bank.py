# The tutorial bank account: a sleep between reading and writing the balance.
import threading
import time

class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance

    def deposit(self, amount):
        current = self.balance
        time.sleep(0.001)
        self.balance = current + amount

    def withdraw(self, amount):
        current = self.balance
        time.sleep(0.001)
        self.balance = current - amount

account = BankAccount(100)
t1 = threading.Thread(target=account.deposit, args=(50,))
t2 = threading.Thread(target=account.withdraw, args=(30,))
t1.start()
t2.start()
t1.join()
t2.join()
print("final balance:", account.balance)
