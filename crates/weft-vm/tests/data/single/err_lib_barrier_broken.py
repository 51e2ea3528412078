import threading
b = threading.Barrier(2)
print(b.parties, b.n_waiting, b.broken)
b.abort()
print(b.broken)
b.wait()
