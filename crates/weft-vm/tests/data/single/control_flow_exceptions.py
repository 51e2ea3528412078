import threading

lock = threading.RLock()
log = []


def search(items, target):
    for index, item in enumerate(items):
        try:
            with lock:
                if item == target:
                    break
                if item is None:
                    raise LookupError(index)
        except LookupError as error:
            log.append(("missing", error.args))
            continue
        finally:
            log.append(("checked", index))
    else:
        return "not found"
    return f"found at {index}"


print(search([1, None, 3], 3), search([None], 9))
print(log)


def nested_finally():
    events = []
    try:
        try:
            try:
                raise ValueError("deep")
            finally:
                events.append("f1")
        except KeyError:
            events.append("wrong")
        finally:
            events.append("f2")
    except ValueError as error:
        events.append(f"caught {error}")
    finally:
        events.append("f3")
    return events


print(nested_finally())


def handler_returns_through_with():
    with lock:
        try:
            raise RuntimeError("x")
        except RuntimeError:
            with lock:
                return "returned while holding the lock twice"


print(handler_returns_through_with(), lock.acquire(blocking=False))
lock.release()


def count_down(n):
    while n > 0:
        try:
            n -= 1
            if n == 2:
                continue
            if n == 1:
                raise ZeroDivisionError
        except ZeroDivisionError:
            log.append("zero")
            break
        else:
            log.append(n)
        finally:
            log.append("tick")
    return n


log.clear()
print(count_down(4), log)


def reraise_in_finally():
    try:
        raise KeyError("a")
    finally:
        try:
            raise ValueError("b")
        except ValueError:
            pass


try:
    reraise_in_finally()
except KeyError as error:
    print("original survives:", repr(error))


def swallow():
    for _ in range(2):
        try:
            raise IndexError("dropped")
        finally:
            break
    return "swallowed"


print(swallow())


def exception_after_handled():
    try:
        raise ValueError("one")
    except ValueError:
        pass
    try:
        raise KeyError("two")
    except KeyError as error:
        return error.__context__


print(exception_after_handled())
acquired = lock.acquire()
lock.release()
print(acquired)
