# str.format with too few arguments.
print("{} {}".format(1))
