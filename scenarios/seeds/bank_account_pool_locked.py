# notes 002, "Lock Objects" (In [38] and In [39]): the bank account with a Lock around the
# read-modify-write, run in the pool. (bank_account_locked.py is the threading.Thread version.)
# Completed: `import threading` (the note's cell relies on an earlier one). Adapted:
# time.sleep(1) -> 0.01.
# python3: always ends with balance 100; the "updating"/"finishing" lines vary in order.
import threading
import concurrent.futures
import time

class Account:
    def __init__(self):
        self.balance = 100 # shared data
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
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    for transaction, amount in [('deposit', 150), ('withdraw', -150)]:
        ex.submit(account.update, transaction, amount)
print(f'ending balance with {account.balance}')
