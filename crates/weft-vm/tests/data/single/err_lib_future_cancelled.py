import concurrent.futures as cf
f = cf.Future()
print(f.cancel(), f.cancelled(), f.done())
f.result()
