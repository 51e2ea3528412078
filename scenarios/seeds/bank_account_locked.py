# The bank account from the notes (002, "Lock Objects"), fixed with a Lock around the
# read-modify-write. Adapted: threading.Thread instead of a ThreadPoolExecutor, and a short
# sleep. The ending balance is always 100.
import threading
import time


class Account:
    def __init__(self):
        self.balance = 100  # shared data
        self.lock = threading.Lock()

    def update(self, transaction, amount):
        print(f"{transaction} thread updating...")
        with self.lock:
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
