# An uncaught ValueError raised by the program.
def check(x):
    if x < 0:
        raise ValueError("negative value: " + str(x))
    return x

print(check(1))
check(-5)
print("not reached")
