from concurrent.futures import ThreadPoolExecutor
e = ThreadPoolExecutor(1)
e.shutdown()
e.submit(print)
