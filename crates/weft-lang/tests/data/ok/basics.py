counter = 0
name = "weft"
pi = 3.5
flag = True
nothing = None
big = -9223372036854775808
items = [1, 2, 3]
pair = (1, "a")
empty = ()
table = {"a": 1, "b": [2]}
text = "implicit " "concatenation"
counter += 1
counter = counter * 2 - 1
print(counter, name, pi, flag, nothing, big, items, pair, empty, table, text)
