# An undefined name.
print("before")
print(undefined_name)
