# notes 001, "Timer": `t = threading.Timer(30.0, my_function)`, started, then cancelled because
# "the user does the action before the Timer expires".
# Completed: the note names my_function without defining it (here it prompts the user), and the
# user's action is a print before cancel(). The interval stays 30 s: cancel() wakes the timer.
# python3: always "the user acted before the timer expired" alone; the prompt never shows
# (it would if the timer fired before cancel(), which takes 30 s).
import threading


def my_function():
    print("Are you still there?")


t = threading.Timer(30.0, my_function)
t.start()
print("the user acted before the timer expired")
t.cancel()
