from concurrent.futures import ThreadPoolExecutor

def divide(a, b):
    return a // b

with ThreadPoolExecutor(max_workers=2) as pool:
    good = pool.submit(divide, 7, 2)
    bad = pool.submit(divide, 1, 0)
    print(good.result())
    print(bad.exception())
    bad.result()
