def outer():
    count = 0

    def inner():
        return count + 1

    return inner()
