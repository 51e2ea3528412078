def f(**kwargs):
    return kwargs


f(**{1: 2})
