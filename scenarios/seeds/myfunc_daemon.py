# notes 002, "Daemon Thread" (In [11]): the same with daemon=True: the main thread does not
# wait for it, so "myfunc ended" is lost when the program ends first (the note's notebook kept
# running, which is why it printed it there).
# Completed with the note's myfunc (In [5]). Adapted: time.sleep(10) -> 0.1.
# python3: "main started", "my func started with brian" and "main ended" (the two last in either
# order; when the daemon prints last, the program may end between its text and its newline);
# "myfunc ended" practically never.
import time
import threading


def myfunc(name):
    print(f"my func started with {name}")
    time.sleep(0.1)
    print("myfunc ended")


# this doesn't print properly, as the main thread is still running the notebook
print('main started')
t = threading.Thread(target=myfunc, args=['brian'], daemon=True)
t.start()
print('main ended')
