# A missing dict key: the message is the key's repr.
d = {"a": 1}
print(d["a"])
print(d["missing"])
