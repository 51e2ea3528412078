def f():
    try:
        raise ValueError("x")
    except ValueError as error:
        pass
    return error


f()
