# str.format.
print("{} {}".format("a", "b"))
print("{0} {1} {0}".format("x", "y"))
print("{name} is {age}".format(name="Ann", age=30))
print("{:>8}|{:<8}|{:^8}|{:.3f}|{:,}".format("r", "l", "c", 2.5, 1234567))
print("{!r} {!s}".format("q", "q"))
print("{{}} {}".format(1))
print("{0:{1}}|".format("w", 5))
