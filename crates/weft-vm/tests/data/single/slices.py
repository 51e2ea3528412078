xs = [0, 1, 2, 3, 4, 5]
print(xs[1:], xs[:2], xs[::2], xs[::-1], xs[-2:], xs[:-2], xs[4:1:-1], xs[10:], xs[-10:2])
print(xs[1:5:2], xs[5:0:-2], xs[:], xs[3:3], xs[-1:-7:-1], xs[0:100:3])
t = (1, 2, 3)
print(t[1:], t[::-1], t[5:])
s = "héllo"
print(s[1:3], s[::-1], s[-3:], s[:0])
copy = xs[:]
copy.append(6)
print(len(xs), len(copy))
n = 2
print(xs[n:n + 2], xs[True:])
