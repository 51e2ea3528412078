# range() with a zero step.
range(1, 5, 0)
