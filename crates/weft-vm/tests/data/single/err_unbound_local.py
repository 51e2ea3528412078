# A local read before assignment.
total = 0
def f():
    total += 1
f()
