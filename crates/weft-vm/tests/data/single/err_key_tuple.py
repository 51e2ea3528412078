# A missing tuple key.
d = {}
d[(1, "x")]
