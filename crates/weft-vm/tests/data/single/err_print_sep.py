# A non-string print separator.
print(1, 2, sep="+")
print(1, sep=2)
