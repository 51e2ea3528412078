# notes 000, "Join": the main thread starts one thread running calc_square and waits for it
# with join() before printing "all done ...".
# Completed with the note's own calc_square (its first cell) and imports; the fragment itself
# is unchanged. Adapted: time.sleep(0.1) -> 0.01.
# python3: always "calculate square numbers", "square: 1", "square: 4", "all done ...".
import time
import threading


def calc_square(numbers):
    print("calculate square numbers")
    for n in numbers:
        time.sleep(0.01)
        print('square:', n*n)


t1 = threading.Thread( target = calc_square, args=([1,2],))
t1.start()
t1.join()
print ("all done ...")
