# Functions: defaults, keyword arguments, *args, recursion, globals.
def greet(name, greeting="Hello", punctuation="!"):
    return greeting + ", " + name + punctuation

print(greet("Ann"))
print(greet("Bob", "Hi"))
print(greet("Cy", punctuation="?"))
print(greet(greeting="Yo", name="Di"))

def total(*numbers):
    result = 0
    for n in numbers:
        result += n
    return result

print(total(), total(1), total(1, 2, 3))

def head_and_rest(first, *rest):
    return first, rest

print(head_and_rest(1, 2, 3), head_and_rest("x"))

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

print(fib(15))

def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)

print(fact(20))

calls = 0

def bump():
    global calls
    calls += 1
    return calls

bump()
bump()
print(calls, bump())

def no_return():
    pass

print(no_return())

def early(x):
    while True:
        if x > 3:
            return x
        x += 1

print(early(0))

def swap(a, b):
    return b, a

x, y = swap(1, 2)
print(x, y)

def apply(f, value):
    return f(value)

def double(v):
    return v * 2

print(apply(double, 21), apply(str, 5), double.__name__)

def count_down(n):
    out = []
    i = n
    while i > 0:
        out.append(i)
        i -= 1
    else:
        out.append("liftoff")
    return out

print(count_down(3))
for i in range(10):
    if i == 2:
        continue
    if i == 5:
        break
    print(i, end=" ")
else:
    print("not reached")
print()
for i in range(3):
    pass
else:
    print("loop finished", i)
