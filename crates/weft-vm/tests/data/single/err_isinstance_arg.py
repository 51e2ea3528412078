# isinstance with a bad class argument.
isinstance(1, 2)
