try:
    {}["k"]
except KeyError:
    raise LookupError("hidden context") from None
