a = 7
b = 2
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b)
print(a << b, a >> b, a & b, a | b, a ^ b, -a, +a, ~a, not a)
print(a == b, a != b, a < b, a <= b, a > b, a >= b)
print(1 < a < 10, 1 < a <= b < 10)
print(a and b, a or b, a and b and 0, a or b or 0, not (a and b))
print(a in [1, 7], a not in (1, 2), a is None, a is not None)
print("yes" if a > b else "no")
print("%s has %d items" % ("list", 3))
