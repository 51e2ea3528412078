# dict.pop of a missing key.
d = {"a": 1}
print(d.pop("a"))
d.pop("a")
