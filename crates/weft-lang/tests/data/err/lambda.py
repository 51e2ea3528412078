f = lambda *, key: key
g = lambda **options: options
h = lambda a, a: a
