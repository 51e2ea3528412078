# weft-expect: maybe-deadlock
# Three dining philosophers, each taking the fork on their left, then the one on their right:
# the classic circular wait behind the notes' two-lock deadlock (004), with three locks.
import threading

forks = [threading.Lock(), threading.Lock(), threading.Lock()]


def philosopher(index):
    left = forks[index]
    right = forks[(index + 1) % 3]
    with left:
        with right:
            print(f"philosopher {index} eats")


threads = []
for index in range(3):
    t = threading.Thread(target=philosopher, args=(index,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
