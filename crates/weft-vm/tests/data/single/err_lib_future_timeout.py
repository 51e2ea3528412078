from concurrent.futures import Future
f = Future()
print(f.done(), f.running(), f.cancelled())
f.result(timeout=0)
