# notes 000, "ThreadPoolExecutor": a pool of 3 workers used as a context manager maps
# calc_square over one argument, the list [4, 5].
# Completed with the note's own calc_square (its first cell) and imports; the fragment itself
# is unchanged. Adapted: time.sleep(0.1) -> 0.01.
# python3: always "calculate square numbers", "square: 16", "square: 25" (one task, one
# worker; the with block waits for it).
import time
import concurrent.futures


def calc_square(numbers):
    print("calculate square numbers")
    for n in numbers:
        time.sleep(0.01)
        print('square:', n*n)


if __name__ == "__main__":
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:
        executor.map(calc_square, ([4, 5],))
