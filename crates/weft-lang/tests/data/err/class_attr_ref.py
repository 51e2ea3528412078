class A:
    size = 3
    double = size * 2
