# observe: account.balance
# observe: len(results)
# observe: lock.locked()
# observe: (account.balance, len(results))
# observe: missing_name
# observe: f"{counter=} {len(results)}"
# observe: results[0] if results else None
# observe: counter + 1 > 2 and not done
import threading

lock = threading.Lock()
results = []
counter = 0
done = False


class Account:
    def __init__(self):
        self.balance = 0


account = Account()
