# Unary minus of a str.
x = "a"
print(-x)
