import threading

lock = threading.Lock()


def classify(value):
    try:
        if value == 0:
            raise ValueError("zero")
        if value == 1:
            return 10 // (value - 1)
        if value == 2:
            return {"a": 1}["b"]
        result = value * 2
    except ValueError as error:
        print("ValueError:", error, error.args, repr(error), type(error).__name__)
        return "value"
    except (ZeroDivisionError, KeyError) as error:
        print("lookup or arithmetic:", repr(error), str(error))
        return "other"
    else:
        print("no exception for", value)
        return result
    finally:
        print("finally for", value)


for value in range(4):
    print("->", classify(value))


def loops():
    seen = []
    for index in range(6):
        try:
            if index == 1:
                continue
            if index == 4:
                break
            seen.append(index)
        finally:
            seen.append(-index)
    while True:
        try:
            try:
                break
            finally:
                seen.append("inner")
        finally:
            seen.append("outer")
    return seen


print(loops())


def return_in_finally():
    try:
        return "body"
    finally:
        print("finally runs before the return")


def finally_overrides():
    for _ in range(1):
        try:
            return "body"
        finally:
            break
    return "after loop"


print(return_in_finally(), finally_overrides())


def with_lock(fail):
    with lock:
        try:
            if fail:
                raise RuntimeError("inside with")
            return "ok"
        except RuntimeError as error:
            return f"caught {error}"
        finally:
            print("locked:", lock.locked())


print(with_lock(False), with_lock(True), lock.locked())


class AppError(Exception):
    def __init__(self, code, detail):
        super().__init__(f"code {code}: {detail}")
        self.code = code


class RetryError(AppError):
    pass


try:
    raise RetryError(503, "busy")
except AppError as error:
    print(type(error).__name__, error.code, error, error.args)

try:
    try:
        raise KeyError("missing")
    except KeyError:
        print("re-raising")
        raise
except LookupError as error:
    print("outer caught", repr(error))

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("while handling")
except ValueError as error:
    print("chained:", error)

try:
    raise TimeoutError("late")
except OSError if False else TimeoutError as error:
    print("timeout:", error)

try:
    raise ValueError
except ValueError as error:
    print("class raised:", repr(error), error.args)

name_error = None
try:
    print(undefined_name)
except NameError as error:
    name_error = error
print("kept:", name_error)

try:
    print(error)
except NameError as missing:
    print(missing)

try:
    raise IndexError("no handler matches")
except (KeyError, ValueError):
    print("not here")
except Exception:
    print("bare Exception catches IndexError")

try:
    pass
except ValueError:
    print("never")
else:
    print("else without exception")
finally:
    print("finally without exception")


def nested_handlers():
    try:
        raise ValueError("first")
    except ValueError:
        try:
            raise KeyError("second")
        except KeyError as inner:
            print("inner", repr(inner))
        raise


try:
    nested_handlers()
except ValueError as error:
    print("the first one propagates:", error)

try:
    raise RuntimeError("cause shown") from ValueError("cause")
except RuntimeError as error:
    print(error)

items = [1, 2, 3]
table = {"a": 1, "b": 2}
del items[0]
del table["a"]
print(items, table)
gone = 1
del gone
try:
    print(gone)
except NameError as error:
    print(error)

try:
    try:
        raise KeyError("inner")
    except KeyError:
        raise ValueError("outer")
except ValueError as error:
    print(repr(error.__context__), error.__cause__, error.__suppress_context__)
try:
    raise ValueError("v") from KeyError("k")
except ValueError as error:
    print(repr(error.__cause__), error.__suppress_context__)
