#!/usr/bin/env python3
"""CPython oracle for weft: every outcome CPython shows must be an outcome weft predicts.

For each scenario (every `.py` file under the given paths, default `scenarios/`), this script

1. asks weft for the possible outcomes: `weft explore FILE --format json --print pieces` (the
   scenario's `# weft:` pragma applies; an `# oracle-weft: ARGS` line replaces `explore` and its
   options, e.g. `# oracle-weft: random --runs 2 --pct-depth 1 --max-steps 1100000`);
2. runs it many times under the real `python3` (cpython_runner.py: switch interval 1 us,
   unbuffered output, logging to stdout), several runs in parallel, and detects a run that
   hangs: a process whose threads have all been asleep (state S in /proc) and not been
   scheduled once (their context-switch counters stand still) for QUIET_SECONDS is deadlocked --
   blocked threads never wake, a sleeping one wakes within the 0.1 s the scenarios sleep at
   most -- and is killed;
3. checks that each distinct CPython outcome -- how it ended (completed, exception in the main
   thread and its "Type: message", deadlocked), the threads that died of an exception (name and
   "Type: message"), and the stdout, partial for a hang -- is one of weft's outcomes. A scenario's
   `# oracle-mask: REGEX` lines (Python `re`, multiline) replace every match by `<masked>` in
   both stdouts first: timestamps, addresses, thread idents, random values.

A CPython outcome weft does not predict is a failure that prints the scenario, the outcome and
weft's closest outcomes with a diff; so is a scenario weft cannot run. There are no skips: when
weft's search was bounded, a missing outcome still fails (with the bounds named). Exit status 0
when every scenario passes, 1 otherwise, 2 on usage errors. `--show` lists what CPython printed.

Usage: python3 tests/oracle/oracle.py [--weft PATH] [--runs N] [--jobs N] [--show] [PATH...]
"""

import argparse
import concurrent.futures
import dataclasses
import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).resolve().with_name("cpython_runner.py")

DEFAULT_RUNS = 24
"""CPython runs per scenario, unless its `# oracle-runs: N` line says otherwise."""

QUIET_SECONDS = 0.6
"""A run none of whose threads was scheduled for this long is deadlocked (scenarios sleep at
most 0.1 s at a time)."""

HARD_TIMEOUT_SECONDS = 60.0
"""A run still going after this long is reported as hanging even if its threads still run."""

MASK = "<masked>"


@dataclasses.dataclass(frozen=True, order=True)
class Outcome:
    """How one run ended, in the terms of `weft explore --format json` outcomes."""

    ending: str  # completed | main_exception | deadlocked | anything else: no weft outcome
    exception: str  # the main thread's "Type: message" for main_exception, else ""
    thread_exceptions: tuple  # sorted (thread name, "Type: message") pairs
    stdout: str  # with the scenario's masks applied

    def describe(self):
        lines = [f"  ending: {self.ending}" + (f" ({self.exception})" if self.exception else "")]
        for name, exception in self.thread_exceptions:
            lines.append(f"  exception in thread {name}: {exception}")
        lines.append("  stdout:")
        lines.extend("    | " + line for line in self.stdout.split("\n"))
        return "\n".join(lines)


@dataclasses.dataclass
class Scenario:
    path: str  # relative to ROOT
    masks: list
    runs: int
    weft_args: list  # the weft subcommand and its options, before FILE

    def mask(self, text):
        for pattern in self.masks:
            text = pattern.sub(MASK, text)
        return text


@dataclasses.dataclass
class WeftResult:
    outcomes: list  # of Outcome, or None when weft could not run the scenario
    exhaustive: bool
    bounds: list
    error: str


def read_scenario(path, default_runs):
    text = (ROOT / path).read_text(encoding="utf-8")
    masks, runs, weft_args = [], default_runs, ["explore"]
    for line in text.splitlines():
        match = re.match(r"#\s*oracle-(mask|runs|weft):\s?(.*)$", line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).rstrip()
        if key == "mask":
            masks.append(re.compile(value, re.MULTILINE))
        elif key == "runs":
            runs = int(value)
        else:
            weft_args = shlex.split(value)
    return Scenario(path, masks, runs, weft_args)


def find_scenarios(paths):
    found = []
    for given in paths:
        path = (ROOT / given) if not Path(given).is_absolute() else Path(given)
        if path.is_dir():
            found.extend(p for p in path.rglob("*.py"))
        elif path.is_file():
            found.append(path)
        else:
            sys.exit(f"oracle: no such scenario or directory: {given}")
    def shown(path):  # relative to the workspace root when inside it, as weft's reports show it
        path = path.resolve()
        return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    return sorted({shown(p) for p in found})


def run_weft(weft, scenario):
    command = [weft, *scenario.weft_args, scenario.path, "--format", "json", "--print", "pieces"]
    shown = " ".join(shlex.quote(a) for a in ["weft", *command[1:]])
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=900)
    except subprocess.TimeoutExpired:
        return WeftResult(None, False, [], f"`{shown}` ran for more than 900 s")
    if done.returncode not in (0, 1):
        return WeftResult(None, False, [], f"`{shown}` exited with {done.returncode}:\n"
                          + done.stderr.decode("utf-8", "replace").rstrip())
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        return WeftResult(None, False, [], f"`{shown}` printed no JSON report ({error})")
    outcomes = []
    for outcome in report["outcomes"]:
        if outcome.get("observed"):
            return WeftResult(None, False, [], f"`{shown}` reports observed values instead of "
                              "stdout (--observe): give the scenario an `# oracle-weft:` line")
        ending = outcome["ending"]
        outcomes.append(Outcome(
            ending["kind"],
            ending.get("exception", "") if ending["kind"] == "main_exception" else "",
            tuple(sorted(tuple(pair) for pair in outcome["thread_exceptions"])),
            scenario.mask(outcome["stdout"]),
        ))
    # `explore` says whether its search was exhaustive; a `random` campaign never is.
    exhaustive = report.get("exhaustive", False)
    bounds = report.get("bounds_hit", []) if "exhaustive" in report else ["random sampling"]
    return WeftResult(outcomes, exhaustive, bounds, "")


def thread_activity(pid):
    """(total context switches of every thread of a process, whether every thread is asleep:
    state S, blocked or sleeping, not R running or waiting for a CPU, not D waiting for the
    disk), or None without /proc."""
    total, asleep = 0, True
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as stat:
                asleep &= stat.read().rsplit(")", 1)[1].split()[0] == "S"
            with open(f"/proc/{pid}/task/{task}/status") as status:
                for line in status:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except (OSError, IndexError):
            total, asleep = total - 1, False  # a thread that just ended: a change
    return total, asleep


def run_cpython(scenario):
    """One run under CPython: (Outcome, stderr text)."""
    with tempfile.TemporaryDirectory(prefix="weft-oracle-") as scratch:
        events_path = os.path.join(scratch, "events")
        with open(os.path.join(scratch, "stdout"), "w+b") as out, \
                open(os.path.join(scratch, "stderr"), "w+b") as err:
            process = subprocess.Popen(
                [sys.executable, "-B", "-u", "-I", "-S", str(RUNNER), events_path, scenario.path],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            started = time.monotonic()
            samples = []  # (seconds since start, context switches)
            hung = False
            while process.poll() is None:
                elapsed = time.monotonic() - started
                if elapsed > HARD_TIMEOUT_SECONDS:
                    hung = True
                    break
                activity = thread_activity(process.pid)
                if activity is not None:
                    switches, asleep = activity
                    # The window restarts whenever a thread runs, waits for a CPU or the disk.
                    samples = samples if asleep else []
                    samples.append((elapsed, switches))
                    older = [s for t, s in samples if t <= elapsed - QUIET_SECONDS]
                    if older and older[-1] == switches and process.poll() is None:
                        hung = True
                        break
                time.sleep(0.02)
            if hung:
                process.kill()
            process.wait()
            out.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        events = []
        if os.path.exists(events_path):
            with open(events_path, encoding="utf-8") as f:
                events = [json.loads(line) for line in f if line.strip()]
    main_exception = next((e["main"] for e in events if "main" in e), "")
    thread_exceptions = tuple(sorted((e["thread"], e["exception"]) for e in events if "thread" in e))
    if hung:
        ending, exception = "deadlocked", ""
    elif process.returncode == 0:
        ending, exception = "completed", ""
    elif process.returncode == 1 and main_exception:
        ending, exception = "main_exception", main_exception
    else:
        ending, exception = f"python3 exit status {process.returncode}", ""
    return Outcome(ending, exception, thread_exceptions, scenario.mask(stdout)), stderr


def closest(outcome, candidates, count=3):
    """weft's outcomes most like a CPython one: same ending first, then the most similar stdout
    (difflib's cheap upper bound picks 50 candidates, its exact ratio ranks them)."""
    def score(candidate, ratio):
        same = (candidate.ending, candidate.exception, candidate.thread_exceptions) == \
            (outcome.ending, outcome.exception, outcome.thread_exceptions)
        return (same, candidate.ending == outcome.ending, ratio)

    def quick(candidate):
        return score(candidate, difflib.SequenceMatcher(None, outcome.stdout, candidate.stdout).quick_ratio())

    def exact(candidate):
        return score(candidate, difflib.SequenceMatcher(None, outcome.stdout, candidate.stdout).ratio())

    shortlist = sorted(candidates, key=quick, reverse=True)[:50]
    return sorted(shortlist, key=exact, reverse=True)[:count]


def check(scenario, weft, runs, show):
    """(passed, report text) for one scenario, given weft's result and CPython's runs."""
    seen = {}  # Outcome -> [count, one stderr]
    for outcome, stderr in runs:
        seen.setdefault(outcome, [0, stderr])[0] += 1
    lines = []
    failures = []
    if weft.outcomes is None:
        failures.append(f"weft cannot run it: {weft.error}")
    else:
        predicted = set(weft.outcomes)
        for outcome, (count, stderr) in sorted(seen.items()):
            if outcome in predicted:
                continue
            text = [f"CPython outcome weft did not find ({count} of {len(runs)} runs):",
                    outcome.describe()]
            if stderr.strip():
                tail = stderr.rstrip("\n").split("\n")[-20:]
                text.append("  stderr of one such run (last lines):\n"
                            + "\n".join("    | " + l for l in tail))
            if not weft.exhaustive:
                text.append(f"  (weft's search was not exhaustive: {', '.join(weft.bounds)})")
            nearest = closest(outcome, weft.outcomes)
            text.append(f"weft's closest outcomes (of {len(weft.outcomes)}):")
            for candidate in nearest:
                text.append(candidate.describe())
            if nearest:
                diff = difflib.unified_diff(
                    outcome.stdout.splitlines(keepends=True),
                    nearest[0].stdout.splitlines(keepends=True),
                    "CPython stdout", "weft's closest stdout")
                text.append("diff:\n" + "".join("    " + l if l.endswith("\n") else "    " + l + "\n"
                                                for l in diff).rstrip("\n"))
            failures.append("\n".join(text))
    summary = (f"{len(runs)} runs, {len(seen)} distinct outcome(s)"
               + (f", weft: {len(weft.outcomes)} outcome(s)" if weft.outcomes is not None else ""))
    status = "ok    " if not failures else "FAILED"
    lines.append(f"{status} {scenario.path}: {summary}")
    if show or failures:
        if show:
            for outcome, (count, _) in sorted(seen.items()):
                lines.append(f"  CPython x{count}:")
                lines.append("  " + outcome.describe().replace("\n", "\n  "))
        for failure in failures:
            lines.append("  " + failure.replace("\n", "\n  "))
    return not failures, "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["scenarios"])
    parser.add_argument("--weft", default=str(ROOT / "target/release/weft"),
                        help="the weft binary (default: target/release/weft)")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"CPython runs per scenario without `# oracle-runs:` (default {DEFAULT_RUNS})")
    parser.add_argument("--jobs", type=int, default=3 * (os.cpu_count() or 1),
                        help="CPython runs at a time (default 3 per core; most runs sleep)")
    parser.add_argument("--show", action="store_true", help="list every distinct CPython outcome")
    args = parser.parse_args()
    if not os.access(args.weft, os.X_OK):
        parser.error(f"no weft binary at {args.weft} (cargo build --release -p weft-cli)")
    scenarios = [read_scenario(path, args.runs) for path in find_scenarios(args.paths)]
    if not scenarios:
        parser.error("no scenarios found")
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as weft_pool, \
            concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as cpython_pool:
        weft_jobs = {s.path: weft_pool.submit(run_weft, args.weft, s) for s in scenarios}
        cpython_jobs = {s.path: [cpython_pool.submit(run_cpython, s) for _ in range(s.runs)]
                        for s in scenarios}
        passed = 0
        for scenario in scenarios:
            ok, text = check(scenario, weft_jobs[scenario.path].result(),
                             [job.result() for job in cpython_jobs[scenario.path]], args.show)
            passed += ok
            print(text, flush=True)
    print(f"{passed} passed, {len(scenarios) - passed} failed "
          f"({time.monotonic() - started:.0f} s)")
    return 0 if passed == len(scenarios) else 1


if __name__ == "__main__":
    sys.exit(main())
