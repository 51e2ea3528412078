x = 1
try:
    x = 2
except:
    pass
except ValueError:
    pass
try:
    x = 3
except* ValueError:
    y = {x}
