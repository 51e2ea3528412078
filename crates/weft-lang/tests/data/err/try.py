x = 1
try:
    x = 2
except ValueError:
    y = lambda: 1
finally:
    pass
