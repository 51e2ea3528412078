# A string index out of range.
s = "ab"
print(s[1], s[-2])
print(s[2])
