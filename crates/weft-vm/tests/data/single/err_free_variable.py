def outer():
    def inner():
        return pending_value

    result = inner()
    pending_value = 1
    return result


outer()
