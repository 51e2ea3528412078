# int() of a bad literal.
print(int("12"))
int("x1")
