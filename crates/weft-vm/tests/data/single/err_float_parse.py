# float() of a bad literal.
print(float(" 2.5 "))
float("abc")
