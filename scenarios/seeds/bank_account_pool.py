# notes 002, "Race Conditions", "Bank Account Program" (In [26] and In [40]): two pool tasks
# update one balance with a read, a sleep and a write; the note expects 100 and got -50.
# (bank_account.py is the same race with threading.Thread; this is the note's own program.)
# Adapted: time.sleep(1) -> 0.01.
# python3 (24 runs): ending balance -50 (14), 250 (4) -- each task read 100 before the other
# wrote -- or 100 (6, the tasks one after the other).
import concurrent.futures
import time

class Account:
    def __init__(self):
        self.balance = 100 # shared data
    def update(self, transaction, amount):
        print(f"{transaction} thread updating...")
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

# should have finished with 100
# finishes with -50 as the balance value was access before it was updated
