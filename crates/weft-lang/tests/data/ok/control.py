n = 0
if n > 0:
    print("positive")
elif n < 0:
    print("negative")
elif n == 0:
    print("zero")
else:
    print("impossible")

while n < 10:
    n += 1
    if n == 3:
        continue
    if n == 8:
        break
else:
    print("not reached")

while True:
    break

for i in range(5):
    if i == 1:
        continue
    if i == 4:
        break
    print(i)
else:
    print("no break")

for i in [1, 2]:
    for j in [3, 4]:
        if j == 4:
            break
        print(i, j)
    else:
        pass
