# Too few % arguments.
print("%s %s" % ("a",))
