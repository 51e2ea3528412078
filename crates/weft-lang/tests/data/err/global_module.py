print(counter)
global counter
