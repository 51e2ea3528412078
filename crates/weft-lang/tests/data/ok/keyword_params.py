def configure(name, *, retries=3, verbose=False, **options):
    return name, retries, verbose, options


def only(*, key):
    return key


pick = lambda *items, first=True: items[0] if first else items
