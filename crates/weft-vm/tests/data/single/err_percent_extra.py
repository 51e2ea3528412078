# Too many % arguments.
print("%s" % ("a", "b"))
