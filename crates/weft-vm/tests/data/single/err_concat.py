# str + int.
print("n = " + 5)
