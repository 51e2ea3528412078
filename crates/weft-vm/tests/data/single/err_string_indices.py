# A str index that is a str.
s = "abc"
print(s["x"])
