# notes 003, "Subclassing Thread": MyTask overrides run() and names itself through
# Thread.__init__.
# Completed: the imports (Thread, current_thread) and starting and joining one MyTask.
# python3: always "subclassThread is executing" (and, on stderr, a DeprecationWarning for
# getName()).
from threading import Thread, current_thread


class MyTask(Thread):
    def __init__(self):
        Thread.__init__(self, name="subclassThread", args=(2, 3))

    def run(self):
        print("{0} is executing".format(current_thread().getName()))


my_task = MyTask()
my_task.start()
my_task.join()
