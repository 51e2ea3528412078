# Zero to a negative power.
print(2 ** -2)
print(0 ** -1)
