def helper():
    return super().x


helper()
