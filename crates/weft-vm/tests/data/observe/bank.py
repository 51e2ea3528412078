# observe: account.balance
# observe: len(history)
# observe: history
# observe: (account.balance, lock.locked())
# observe: missing_name
# observe: history[10]
# observe: account.balance // 0
# observe: f"{account.balance:>6}|"
# observe: threading.current_thread().name
# observe: t1.is_alive() or t2.is_alive()
# observe: account
# The locked bank account: the balance and the history are observed after the run.
import threading


class Account:
    def __init__(self, balance):
        self.balance = balance

    def __repr__(self):
        return f"Account({self.balance})"


account = Account(100)
history = []
lock = threading.Lock()


def deposit(amount):
    with lock:
        account.balance += amount
        history.append(amount)


t1 = threading.Thread(target=deposit, args=(50,))
t2 = threading.Thread(target=deposit, args=(-30,))
t1.start()
t2.start()
t1.join()
t2.join()
print("done")
