"""Runs one scenario under CPython for the oracle (tests/oracle/oracle.py).

Usage: python3 -B -u cpython_runner.py EVENTS_FILE SCENARIO

The scenario runs as `__main__`, exactly as `python3 SCENARIO` would run it, except that:

- `sys.setswitchinterval(1e-6)`: the interpreter offers a thread switch at almost every
  opportunity, so a few dozen runs show many interleavings;
- `logging.basicConfig()` without a stream, file or handlers logs to stdout instead of stderr,
  so that log records are compared with the prints, in the order they were written (weft
  reports one output stream per outcome);
- how the run ends is written to EVENTS_FILE, one JSON object per line, each with a single
  os.write so lines from different threads never mix: {"main": "Type: message"} when the main
  thread raises, {"thread": NAME, "exception": "Type: message"} for each thread that dies of
  an uncaught exception. The last line of CPython's own traceback is the "Type: message" text.

Everything else (the tracebacks on stderr, the exit status, the wait for non-daemon threads at
exit) is CPython's own behaviour.
"""

import json
import logging
import os
import sys
import threading
import traceback


def exception_line(exc_type, exc_value):
    """The last line CPython prints for an uncaught exception, e.g. `_queue.Empty`."""
    return traceback.format_exception_only(exc_type, exc_value)[-1].rstrip("\n")


def main():
    events_path, scenario = sys.argv[1], sys.argv[2]
    events = os.open(events_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def record(event):
        os.write(events, (json.dumps(event) + "\n").encode())

    original_excepthook = threading.excepthook

    def excepthook(args):
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread is not None else None
            record({"thread": name, "exception": exception_line(args.exc_type, args.exc_value)})
        original_excepthook(args)

    threading.excepthook = excepthook

    basic_config = logging.basicConfig

    def basic_config_to_stdout(**kwargs):
        if not {"stream", "filename", "handlers"} & kwargs.keys():
            kwargs["stream"] = sys.stdout
        basic_config(**kwargs)

    logging.basicConfig = basic_config_to_stdout

    with open(scenario, encoding="utf-8") as f:
        code = compile(f.read(), scenario, "exec")
    sys.argv = [scenario]
    sys.setswitchinterval(1e-6)
    namespace = {"__name__": "__main__", "__file__": scenario, "__builtins__": __builtins__}
    try:
        exec(code, namespace)
    except SystemExit:
        raise
    except BaseException as error:
        record({"main": exception_line(type(error), error)})
        raise


if __name__ == "__main__":
    main()
