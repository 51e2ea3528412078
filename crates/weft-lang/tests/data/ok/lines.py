import time

total = 0


def compute(a, b, c=0):
    return a + b + c


result = compute(
    total,
    compute(1, 2),
    c=3,
)
message = (
    "first line "
    f"{result} "
    "last"
)
for index, value in [(0, "a"), (1, "b")]:
    print(
        index,
        value,
        end="\n",
    )
time.sleep(
    0
)
