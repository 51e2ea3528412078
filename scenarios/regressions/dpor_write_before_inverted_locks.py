# weft-expect: maybe-deadlock
# Found by the DFS/DPOR cross-check (generated case 108): DPOR missed worker2 updating y before
# worker1 writes it, because the only schedules that could reverse that race deadlock on the
# inverted lock order first. Same fix as dpor_acquire_race_behind_other_lock.py.
# Under CPython it usually completes; the lock-order inversion can deadlock.
import threading

x = 0
y = 0
z = 0
lock_a = threading.Lock()
lock_b = threading.Lock()


def worker0(lock_a, lock_b):
    global x, y, z
    print(y)


def worker1(lock_a, lock_b):
    global x, y, z
    y = 11
    with lock_a:
        with lock_b:
            print(x)


def worker2(lock_a, lock_b):
    global x, y, z
    with lock_b:
        with lock_a:
            y += 1


def main():
    threads = []
    threads.append(threading.Thread(target=worker0, args=(lock_a, lock_b)))
    threads.append(threading.Thread(target=worker1, args=(lock_a, lock_b)))
    threads.append(threading.Thread(target=worker2, args=(lock_a, lock_b)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(x, y, z)


main()
