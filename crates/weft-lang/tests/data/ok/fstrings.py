name = "world"
width = 10
value = 3.14159
print(f"hello {name}")
print(f"{name!r} {name!s} {name!a}")
print(f"{value:.2f} and {value:{width}.3f}")
print(f"{name=}")
print(f"{value=:.1f}")
print(f"")
print(f"{name}")
print("plain " f"{name} " "tail")
print(f"{{literal braces}} {width * 2}")
