# The bank account race from the notes (002, "Race Conditions"): two threads update one
# balance with a read, a sleep and a write. Adapted: threading.Thread instead of a
# ThreadPoolExecutor, and a short sleep. Possible endings: 100, 250 and -50.
import threading
import time


class Account:
    def __init__(self):
        self.balance = 100  # shared data

    def update(self, transaction, amount):
        print(f"{transaction} thread updating...")
        local_copy = self.balance
        local_copy += amount
        time.sleep(0.01)
        self.balance = local_copy
        print(f"{transaction} thread finishing...")


account = Account()
print(f"starting with balance of {account.balance}")
threads = []
for transaction, amount in [("deposit", 150), ("withdraw", -150)]:
    t = threading.Thread(target=account.update, args=(transaction, amount))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print(f"ending balance with {account.balance}")
