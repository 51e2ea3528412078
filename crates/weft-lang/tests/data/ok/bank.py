import threading

balance = 100


def deposit(amount):
    global balance
    current = balance
    balance = current + amount


def withdraw(amount):
    global balance
    current = balance
    balance = current - amount


if __name__ == "__main__":
    t1 = threading.Thread(target=deposit, args=(50,))
    t2 = threading.Thread(target=withdraw, args=(30,))
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print(f"final balance: {balance}")
