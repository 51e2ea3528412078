# Raising a class instantiates it: an empty message prints the bare type.
raise RuntimeError
