# weft-expect: maybe-deadlock
# Found by the DFS/DPOR cross-check (generated case 211): DPOR missed the orders in which
# worker1's critical sections run before worker0's, because the race between the two acquires
# of lock_a was hidden behind lock_b, and the schedules that reverse it end in a deadlock where
# the blocked acquire never runs. Fixed by treating release -> acquire as an irreversible race
# and by racing the pending acquires of blocked threads at the end of an execution.
# Under CPython it usually completes; the lock-order inversion can deadlock.
import threading

x = 0
y = 0
z = 0
lock_a = threading.Lock()
lock_b = threading.Lock()


def worker0(lock_a, lock_b):
    global x, y, z
    with lock_a:
        with lock_b:
            print("w0", x)


def worker1(lock_a, lock_b):
    global x, y, z
    lock_b.acquire()
    tmp = y
    lock_b.release()
    with lock_b:
        with lock_a:
            tmp = x
            x = tmp + 2
    with lock_b:
        with lock_a:
            x += 1


def main():
    threads = []
    threads.append(threading.Thread(target=worker0, args=(lock_a, lock_b)))
    threads.append(threading.Thread(target=worker1, args=(lock_a, lock_b)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(x, y, z)


main()
