# A failing assert without a message.
assert 1 + 1 == 3
