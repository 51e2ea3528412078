# weft ints are 64-bit: this program stays in range, then divides by zero.
big = 2 ** 62
print(big, big + (big - 1), -big * 2)
print(9223372036854775807 // -1)
print(7 % 0)
