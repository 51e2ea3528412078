# Integer and float arithmetic, bools as ints, comparisons and float reprs.
a = 17
b = 5
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** 2)
print(-a // b, -a % b, a // -b, a % -b, -7 // 2, -7 % 2)
print(7.5 // 2, 7.5 % 2, -7.5 // 2, -7.5 % 2, 5.5 % -2)
print(2 ** -1, 2 ** 10, (-2) ** 3, 2.0 ** 0.5, 10 ** 18)
print(1 << 10, 1024 >> 3, 6 & 3, 6 | 3, 6 ^ 3, ~5, -(-3))
print(True + True, True * 3, False - 1, 3 / 2, 4 / 2, 1 / 3)
print(0.1 + 0.2, 1e20, 1.5e-5, 100.0, 1e16, 1e15, 123456789012345678.0)
print(0.1, 1 / 7, 2.5e-7, -0.0, 3.0 * 2, 1e300 * 1e10, -1e300 * 1e10)
print(1 == 1.0, 1 < 2.5, 3 >= 3, "a" < "b", (1, 2) < (1, 3), [1, 2] == [1, 2])
print(1 != 2, None is None, 2 > 1 > 0, 1 < 2 < 2, abs(-3), abs(-2.5))
print(round(2.5), round(3.5), round(2.675, 2), round(-0.5), round(1234, -2), round(1.25, 1))
print(int(3.9), int(-3.9), int("42"), int(" -7 "), int("1_000"), float("1.5"), float(3))
print(max(3, 1, 2), min(3, 1, 2), max([4, 9, 2]), min("bca"), sum([1, 2, 3]), sum([0.5, 0.25]))
x = 10
x += 5
x -= 3
x *= 2
x //= 5
x **= 3
x %= 7
print(x)
y = 2.0
y /= 4
print(y)
print(bool(0), bool(1), bool(""), bool("x"), bool([]), bool([0]), bool(None), bool(0.0))
