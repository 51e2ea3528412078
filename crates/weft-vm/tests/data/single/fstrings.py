# f-strings and the format-spec mini-language.
n = 1234567
f = 3.14159265
name = "weft"
print(f"{n}|{n:,}|{n:_}|{n:>12}|{n:<12}|{n:^12}|{n:*^12}|{n:+}|{-n:+}|{n: }")
print(f"{255:x}|{255:X}|{255:#x}|{255:o}|{255:#o}|{255:b}|{255:#b}|{255:08b}|{65:c}")
print(f"{f}|{f:.2f}|{f:10.3f}|{f:<10.1f}|{f:e}|{f:.2e}|{f:E}|{f:g}|{f:.3g}|{f:%}|{0.25:.1%}")
print(f"{1e20:g}|{1e-5:g}|{0.0001:g}|{123456789.0:g}|{100.0:.3}|{1.0:.2}|{0.0:g}|{1.5:#g}")
print(f"{name}|{name!r}|{name:>8}|{name:<8}|{name:^8}|{name:.2}|{name!s:>6}|{name!a}")
print(f"{True}|{True:d}|{True:>5}|{None}|{[1, 2]}|{(1, 'a')}|{ {'k': 1} }")
print(f"{n:010}|{-42:05}|{-1234.5:012,.1f}|{12345.678:,.2f}|{1234:010,}")
width = 10
prec = 3
print(f"{f:{width}.{prec}f}|{name:>{width}}|{n!r:>9}")
print(f"{n / 7:.4f} {n // 7} {n % 7} {'nested ' + name}")
print(f"{{literal}} {n:d} {2.5:.0f} {3.5:.0f} {-0.0} {float('inf')} {float('-inf'):+}")
