# int + str.
print(5 + "n")
