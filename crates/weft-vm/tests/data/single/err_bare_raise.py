def fail():
    raise


fail()
