# observe: account.balance +
# observe: x = 1
# observe:
# observe: a; b
# observe: yield x
# observe: print(
# observe:  account
account = None
