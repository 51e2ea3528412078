# str.join of non-strings.
print(",".join(["a", "b"]))
",".join([1])
