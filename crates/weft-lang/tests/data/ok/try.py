import threading

lock = threading.Lock()


def parse(text):
    try:
        value = int(text)
    except ValueError as error:
        print("bad", error)
        return None
    except (TypeError, KeyError):
        raise
    else:
        print("parsed")
    finally:
        print("done")
    return value


def loop(items):
    for item in items:
        with lock:
            try:
                if item == 1:
                    continue
                if item == 2:
                    break
            finally:
                print("cleanup", item)


def nested():
    try:
        try:
            raise KeyError("k")
        except KeyError:
            raise ValueError("v") from None
    except Exception:
        pass


try:
    parse("x")
except:
    raise
