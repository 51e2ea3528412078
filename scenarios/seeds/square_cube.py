# Two threads that print while sleeping, joined by the main thread (notes 000, "Threads").
# weft: --print atomic
# Adapted: shorter sleeps, and no elapsed-time print (it differs on every run).
import time
import threading


def calc_square(numbers):
    print("calculate square numbers")
    for n in numbers:
        time.sleep(0.01)
        print('square:', n * n)


def calc_cube(numbers):
    print("calculate cube of numbers")
    for n in numbers:
        time.sleep(0.01)
        print('cube:', n * n * n)


arr = [2, 3]

t1 = threading.Thread(target=calc_square, args=(arr,))
t2 = threading.Thread(target=calc_cube, args=(arr,))

t1.start()
t2.start()

t1.join()  # Tells the process to wait until it finishes t1
t2.join()  # Tells the process to wait until it finishes t2

print("Hah... I am done with all my work now!")
