# notes 000, "ThreadPoolExecutor": "Unfortunately, ThreadPoolExecutor will hide that exception.
# Error program terminates with no output." A task raises and nobody asks its future for the
# result, so the exception is never seen. Adapted: the note's calc_square is given a value it
# cannot square (a string times a string) so that the task raises; sleep 0.1 -> 0.01.
import concurrent.futures
import time


def calc_square(numbers):
    print("calculate square numbers")
    for n in numbers:
        time.sleep(0.01)
        print('square:', n * n)


if __name__ == "__main__":
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:
        executor.map(calc_square, (["4"],))
    print("done")
