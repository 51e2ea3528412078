# String operations and methods.
s = "Hello, World"
print(s.upper(), s.lower(), len(s), s[0], s[-1], s[7])
print(s.replace("l", "L"), s.replace("l", "L", 1), s.startswith("Hell"), s.endswith("x"))
print(s.split(", "), "a  b c ".split(), "a,b,,c".split(","), "x y z".split(" ", 1))
print("  pad  ".strip(), "xxhixx".strip("x"), "  left".lstrip(), "right  ".rstrip())
print("-".join(["a", "b", "c"]), "".join(("x", "y")), ", ".join([]))
print("ab" * 3, "a" + "b", "b" in "abc", "z" not in "abc", "abc".find("c"), "abc".find("z"))
print("hello world".title(), "hello".capitalize(), "abcabc".count("b"), "123".isdigit(), "ab1".isalpha())
print("7".zfill(3), "-7".zfill(4), "ab".ljust(5) + "|", "ab".rjust(5), "ab".center(7, "*"), "abc".center(6))
print(repr("it's"), repr('say "hi"'), repr("tab\there"), repr("new\nline"), repr("back\\slash"))
print(str(42), str(1.5), str(None), str(True), str([1, "a"]), repr(1.0))
t = "multi"
t += "ple"
print(t, t.upper().lower() == t, "a" < "b" < "c")
for ch in "héllo":
    print(ch, end=".")
print()
print("a", "b", "c", sep="-", end="!\n")
print("no newline", end="")
print(" then newline")
print()
print("x", 1, 2.5, None, True, sep="")
