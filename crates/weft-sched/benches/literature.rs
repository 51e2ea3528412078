//! The DPOR literature benchmark: the classic programs of the source-DPOR and Optimal-DPOR
//! papers (Abdulla, Aronis, Jonsson, Sagonas) and of the tools that followed them, generated as
//! weft scenarios and explored with the default strategy (source-DPOR with sleep sets), next to
//! the number of Mazurkiewicz traces each has.
//!
//! `cargo bench -p weft-sched --bench literature` prints two Markdown tables. The first has a
//! row per program: schedules executed, how many of them were sleep-set-blocked (abandoned
//! because every enabled thread was asleep: `redundant_schedules`), the expected number of
//! traces, whether the search was optimal (executed == traces and none blocked), wall time,
//! schedules/s and visible steps/s. Executed minus blocked is the number of executions that ran
//! to an end, which must equal the number of traces; the bench checks it. A search shorter than
//! [`REPEAT_BELOW_SECONDS`] is run [`REPEATS`] times and the fastest counts.
//!
//! The second table validates the expected counts on small instances: every interleaving is
//! enumerated by a search written here over `weft_vm::Vm` (not the explorer), the executions
//! are grouped into Mazurkiewicz traces ([`trace_key`]), and the number of groups is compared
//! with the expected count; the same instance is explored with DFS and DPOR and their outcome
//! sets compared. The bench exits with status 1 if any of these checks fails.
//!
//! `cargo bench -p weft-sched --bench literature -- --source lastzero 4` prints one scenario
//! instead, to run it under `weft explore` or `python3`.
//!
//! The programs, and how each is modelled in Python:
//!
//! - `lastzero(N)`: an array of N+1 zeros; thread 0 scans it from index N down for the last
//!   zero, thread j (1..N) does `array[j] = array[j-1] + 1`. (N+3)·2^(N-2) traces. The array
//!   is N+1 globals `a0..aN` and the scan an `if/elif` chain, written when weft treated a whole
//!   list as one location. Each list index is a location of its own now (`Location::Item`), so
//!   a list would give the same traces, but the extra read of the global `array` before each
//!   element access would add steps, not traces.
//! - `readers(N)`: one thread writes `x`, N threads read it (each into a global of its own).
//!   2^N traces. `readers_print(N)` is the same program with the main thread printing what
//!   each reader saw after joining them, as a Python program would: the same traces, since the
//!   joins order those reads after every write, but an explorer that misses the join edges
//!   sees races there.
//! - `inc(N)`: N threads each do one unsynchronised `counter += 1`. weft splits an augmented
//!   assignment into a read step and a write step, as C's load and store, so the count is the
//!   one for N read/write pairs: the writes in any of N! orders, and the read of the thread
//!   whose write is k-th in one of the k gaps before that write: (N!)^2.
//! - `lockinc(N)`: the same increment inside `with lock:`. N! traces (the order of the
//!   critical sections).
//! - `account(N)`: the "account" program of the MCR/SWSC benchmark sets as nidhugg runs it: N
//!   threads deposit into a shared balance and one withdraws, each an unsynchronised read and
//!   write of it, and the main thread reads (prints) the balance after joining them. The same
//!   shape as `inc(N+1)`: ((N+1)!)^2 traces.
//! - `fib_bench(N)`: SV-COMP's `fib_bench` in the form of the Observers/SWSC experiments: two
//!   threads do `i += j` and `j += i` N times each, and the main thread checks `i` and `j`
//!   against fib(2+2N) while they run (before joining them: the check's reads race with the
//!   threads). No closed formula: the expected counts are the published ones for N = 1..5 (11,
//!   140, 1698, 19605, 218243; nidhugg's `benchmarks/SWSC_experiment/summary.txt`), which the
//!   validation table confirms by enumeration for small N.
//! - `philosophers(N)`: N threads each take fork i, then fork (i+1) mod N (`with` two locks,
//!   one meal each, so all may hold their first fork and deadlock). A trace is decided by who
//!   takes each fork first. Of the 2^N choices, "every fork goes first to the philosopher for
//!   whom it is the second fork" is a cycle and cannot happen, and "every fork goes first to
//!   the philosopher for whom it is the first fork" is the deadlock: 2^N − 1 traces.
//!
//! The main thread of every scenario creates and starts the threads and joins them. Its visible
//! operations (reads of the globals naming `threading` and the thread functions) read variables
//! no thread writes, so they are independent of everything: they multiply the interleavings DFS
//! runs but not the traces. Unless the program itself reads its results at the end (`account`,
//! `readers_print`), an outcome is the final values of the shared variables, read by observers
//! (`--observe` expressions, evaluated on the end state, so they add no steps), which makes the
//! comparison of DFS's and DPOR's outcomes meaningful.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use weft_sched::{ExploreConfig, ExploreReport, Strategy, explore};
use weft_vm::{Op, Program, RunStatus, ThreadId, Vm, VmConfig};

/// How many times a short search is repeated (the fastest counts).
const REPEATS: usize = 3;

/// Searches at least this long are measured once.
const REPEAT_BELOW_SECONDS: f64 = 1.0;

/// The most interleavings the validation enumerates, and DFS explores, for one instance.
const MAX_INTERLEAVINGS: u64 = 500_000;

/// A generated program: its source, and the observers (`--observe` expressions) that make its
/// outcome the final values of its shared variables without adding steps to it.
struct Scenario {
    source: String,
    observers: Vec<String>,
}

/// One family of programs: its name, its generator and its expected number of traces.
struct Family {
    name: &'static str,
    scenario: fn(usize) -> Scenario,
    traces: fn(usize) -> Option<u64>,
    /// The sizes measured with DPOR.
    measured: &'static [usize],
    /// The sizes validated by enumerating every interleaving.
    validated: &'static [usize],
}

const FAMILIES: &[Family] = &[
    Family {
        name: "lastzero",
        scenario: lastzero,
        traces: |n| Some((n as u64 + 3) << n.checked_sub(2)?),
        measured: &[4, 6, 8, 10],
        validated: &[2, 3, 4],
    },
    Family {
        name: "readers",
        scenario: |n| readers(n, false),
        traces: |n| Some(1 << n),
        measured: &[4, 8, 12, 14],
        validated: &[2, 3, 4],
    },
    Family {
        name: "readers_print",
        scenario: |n| readers(n, true),
        traces: |n| Some(1 << n),
        measured: &[4, 8],
        validated: &[3],
    },
    Family {
        name: "inc",
        scenario: inc,
        traces: |n| Some(factorial(n).pow(2)),
        measured: &[3, 4, 5],
        validated: &[2, 3],
    },
    Family {
        name: "lockinc",
        scenario: lockinc,
        traces: |n| Some(factorial(n)),
        measured: &[3, 5, 7, 8],
        validated: &[2, 3, 4],
    },
    Family {
        name: "account",
        scenario: account,
        traces: |n| Some(factorial(n + 1).pow(2)),
        measured: &[2, 3, 4],
        validated: &[1, 2],
    },
    Family {
        name: "fib_bench",
        scenario: fib_bench,
        traces: |n| {
            [11, 140, 1698, 19605, 218243]
                .get(n.checked_sub(1)?)
                .copied()
        },
        measured: &[1, 2, 3, 4, 5],
        validated: &[1, 2],
    },
    Family {
        name: "philosophers",
        scenario: philosophers,
        traces: |n| Some((1 << n) - 1),
        measured: &[3, 6, 9, 12],
        validated: &[2, 3, 4],
    },
];

fn factorial(n: usize) -> u64 {
    (1..=n as u64).product()
}

/// Appends `def main()`: start one thread per target, run `during` (main-thread statements)
/// while they run, join them, run `after`; then call `main()`.
fn with_main(
    mut source: String,
    targets: &[String],
    during: &[String],
    after: &[String],
) -> String {
    let threads: Vec<String> = targets
        .iter()
        .map(|target| format!("threading.Thread(target={target})"))
        .collect();
    let _ = write!(
        source,
        "\ndef main():\n    threads = [{}]\n    for t in threads:\n        t.start()\n",
        threads.join(", ")
    );
    for line in during {
        let _ = writeln!(source, "    {line}");
    }
    source.push_str("    for t in threads:\n        t.join()\n");
    for line in after {
        let _ = writeln!(source, "    {line}");
    }
    source.push_str("\nmain()\n");
    source
}

/// `(v0, v1, ...)`: the tuple of the named values.
fn tuple(names: &[String]) -> String {
    format!("({},)", names.join(", "))
}

fn lastzero(n: usize) -> Scenario {
    let mut source = String::from("import threading\n");
    for i in 0..=n {
        let _ = writeln!(source, "a{i} = 0");
    }
    source.push_str("found = -1\n\ndef reader():\n    global found\n");
    for i in (0..=n).rev() {
        let keyword = if i == n { "if" } else { "elif" };
        let _ = writeln!(source, "    {keyword} a{i} == 0:\n        found = {i}");
    }
    let mut targets = vec!["reader".to_string()];
    for j in 1..=n {
        let _ = write!(
            source,
            "\ndef writer{j}():\n    global a{j}\n    a{j} = a{} + 1\n",
            j - 1
        );
        targets.push(format!("writer{j}"));
    }
    let mut observed = vec!["found".to_string()];
    observed.extend((1..=n).map(|i| format!("a{i}")));
    Scenario {
        source: with_main(source, &targets, &[], &[]),
        observers: vec![tuple(&observed)],
    }
}

/// `readers(N)`; with `print`, the main thread prints what each reader saw after joining them
/// (reads the literature's program does not have).
fn readers(n: usize, print: bool) -> Scenario {
    let mut source = String::from("import threading\nx = 0\n");
    for k in 1..=n {
        let _ = writeln!(source, "r{k} = -1");
    }
    source.push_str("\ndef writer():\n    global x\n    x = 1\n");
    let mut targets = vec!["writer".to_string()];
    for k in 1..=n {
        let _ = write!(
            source,
            "\ndef reader{k}():\n    global r{k}\n    r{k} = x\n"
        );
        targets.push(format!("reader{k}"));
    }
    let seen: Vec<String> = (1..=n).map(|k| format!("r{k}")).collect();
    if print {
        Scenario {
            source: with_main(
                source,
                &targets,
                &[],
                &[format!("print({})", seen.join(", "))],
            ),
            observers: Vec::new(),
        }
    } else {
        Scenario {
            source: with_main(source, &targets, &[], &[]),
            observers: vec![tuple(&seen)],
        }
    }
}

/// `n` threads running `worker`, whose body is `body` (indented one level), on a global
/// `counter`.
fn counter_threads(n: usize, body: &str) -> Scenario {
    let source = format!(
        "import threading\ncounter = 0\nlock = threading.Lock()\n\ndef worker():\n    global counter\n{body}"
    );
    Scenario {
        source: with_main(source, &vec!["worker".to_string(); n], &[], &[]),
        observers: vec!["counter".to_string()],
    }
}

fn inc(n: usize) -> Scenario {
    counter_threads(n, "    counter += 1\n")
}

fn lockinc(n: usize) -> Scenario {
    counter_threads(n, "    with lock:\n        counter += 1\n")
}

/// As in the benchmark sets, the main thread reads the balance after joining the threads.
fn account(n: usize) -> Scenario {
    let source = "import threading\namount = 1000\n\ndef deposit():\n    global amount\n    amount += 100\n\ndef withdraw():\n    global amount\n    amount -= 10\n".to_string();
    let mut targets = vec!["deposit".to_string(); n];
    targets.push("withdraw".to_string());
    Scenario {
        source: with_main(source, &targets, &[], &["print(amount)".to_string()]),
        observers: Vec::new(),
    }
}

fn fib_bench(n: usize) -> Scenario {
    let (mut previous, mut current) = (0u64, 1u64);
    for _ in 0..2 + 2 * n {
        (previous, current) = (current, previous + current);
    }
    let source = format!(
        "import threading\ni = 1\nj = 1\n\ndef t1():\n    global i\n    for _ in range({n}):\n        i += j\n\ndef t2():\n    global j\n    for _ in range({n}):\n        j += i\n"
    );
    Scenario {
        source: with_main(
            source,
            &["t1".to_string(), "t2".to_string()],
            &[format!("assert i <= {previous} and j <= {previous}")],
            &[],
        ),
        observers: vec!["(i, j)".to_string()],
    }
}

/// The outcome is how the run ended: completed or deadlocked.
fn philosophers(n: usize) -> Scenario {
    let source = format!(
        "import threading\n\ndef philosopher(left, right):\n    with left:\n        with right:\n            pass\n\ndef main():\n    forks = [threading.Lock() for _ in range({n})]\n    threads = [threading.Thread(target=philosopher, args=(forks[i], forks[(i + 1) % {n}])) for i in range({n})]\n    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n\nmain()\n"
    );
    Scenario {
        source,
        observers: Vec::new(),
    }
}

fn compile(name: &str, scenario: &Scenario) -> Arc<Program> {
    let Scenario { source, observers } = scenario;
    let program =
        weft_lang::compile_with_observers(name, source, observers).unwrap_or_else(|diagnostics| {
            let text: Vec<String> = diagnostics
                .iter()
                .map(|d| d.render_with(name, source, observers))
                .collect();
            panic!("{name} does not compile:\n{}\n{source}", text.join("\n"))
        });
    Arc::new(program)
}

fn explore_with(
    program: &Arc<Program>,
    strategy: Strategy,
    max_schedules: Option<u64>,
) -> ExploreReport {
    let config = ExploreConfig {
        strategy,
        max_schedules,
        ..ExploreConfig::default()
    };
    explore(Arc::clone(program), &config)
}

/// The outcomes as a set of (ending, thread exceptions, stdout, observed values): what DFS and
/// DPOR must agree on.
fn outcome_set(report: &ExploreReport) -> BTreeSet<String> {
    report
        .outcomes
        .iter()
        .map(|o| {
            format!(
                "{:?} {:?} {:?} {:?}",
                o.ending, o.thread_exceptions, o.stdout, o.observed
            )
        })
        .collect()
}

/// Whether two visible operations of different threads do not commute: accesses to one
/// location of which one writes, operations on one lock other than two queries, operations on
/// one library object, and ending the program with anything. Written here rather than taken
/// from the explorer so that the validation does not trust what it checks.
fn conflict(a: &Op, b: &Op) -> bool {
    match (a, b) {
        (Op::Exit, _) | (_, Op::Exit) => true,
        (Op::Write(x), Op::Write(y) | Op::Read(y)) | (Op::Read(x), Op::Write(y)) => x == y,
        (
            Op::Acquire { lock: x, .. } | Op::Release(x) | Op::LockQuery(x),
            Op::Acquire { lock: y, .. } | Op::Release(y),
        )
        | (Op::Acquire { lock: x, .. } | Op::Release(x), Op::LockQuery(y)) => x == y,
        (Op::Sync { obj: x, .. }, Op::Sync { obj: y, .. }) => x == y,
        _ => false,
    }
}

/// A canonical representative of the Mazurkiewicz trace of an execution (its events in
/// order): the lexicographically least linearisation (by thread) of its dependence graph,
/// which orders each thread's events and every conflicting pair as the execution did. Two
/// executions get the same key exactly when they have the same dependence graph: the key
/// lists every event with its operation, and the graph is rebuilt from it.
fn trace_key(events: &[(ThreadId, Op)]) -> Vec<(ThreadId, Op)> {
    let mut successors = vec![Vec::new(); events.len()];
    let mut predecessors = vec![0u32; events.len()];
    for later in 0..events.len() {
        for earlier in 0..later {
            let (a, b) = (&events[earlier], &events[later]);
            if a.0 == b.0 || conflict(&a.1, &b.1) {
                successors[earlier].push(later);
                predecessors[later] += 1;
            }
        }
    }
    let mut ready: BTreeSet<(ThreadId, usize)> = (0..events.len())
        .filter(|&e| predecessors[e] == 0)
        .map(|e| (events[e].0, e))
        .collect();
    let mut key = Vec::with_capacity(events.len());
    while let Some((_, event)) = ready.pop_first() {
        key.push(events[event]);
        for &next in &successors[event] {
            predecessors[next] -= 1;
            if predecessors[next] == 0 {
                ready.insert((events[next].0, next));
            }
        }
    }
    key
}

/// What enumerating every interleaving found.
struct Enumeration {
    interleavings: u64,
    traces: HashSet<Vec<(ThreadId, Op)>>,
}

/// Runs every interleaving from `vm` on (depth first), adding each ended execution's trace
/// key; gives up past [`MAX_INTERLEAVINGS`].
fn enumerate(vm: Vm, events: &mut Vec<(ThreadId, Op)>, found: &mut Enumeration) -> bool {
    let mut enabled = Vec::new();
    vm.enabled_threads(&mut enabled);
    if vm.status() != RunStatus::Running || enabled.is_empty() {
        found.interleavings += 1;
        found.traces.insert(trace_key(events));
        return found.interleavings < MAX_INTERLEAVINGS;
    }
    let last = enabled.len() - 1;
    let mut vm = Some(vm);
    for (position, &thread) in enabled.iter().enumerate() {
        let mut next = if position == last {
            vm.take().expect("the last child takes the state")
        } else {
            vm.as_ref().expect("the state is kept").clone()
        };
        let event = next.step(thread);
        events.push((thread, event.op));
        let go_on = enumerate(next, events, found);
        events.pop();
        if !go_on {
            return false;
        }
    }
    true
}

/// The number of interleavings and of traces of `program`, or `None` past
/// [`MAX_INTERLEAVINGS`].
fn count_traces(program: &Arc<Program>) -> Option<(u64, u64)> {
    let mut found = Enumeration {
        interleavings: 0,
        traces: HashSet::new(),
    };
    let vm = Vm::new(Arc::clone(program), VmConfig::default());
    enumerate(vm, &mut Vec::new(), &mut found)
        .then_some((found.interleavings, found.traces.len() as u64))
}

/// The DPOR report of `program` and the wall time of its fastest search.
fn measure(program: &Arc<Program>) -> (ExploreReport, f64) {
    let mut best: Option<(ExploreReport, f64)> = None;
    for _ in 0..REPEATS {
        let started = Instant::now();
        let report = explore_with(program, Strategy::Dpor, None);
        let seconds = started.elapsed().as_secs_f64();
        if best.as_ref().is_none_or(|(_, fastest)| seconds < *fastest) {
            best = Some((report, seconds));
        }
        if seconds >= REPEAT_BELOW_SECONDS {
            break;
        }
    }
    best.expect("measured at least once")
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn or_dash(value: Option<u64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--source") {
        // `--source FAMILY N` prints one scenario, to run it under `weft` or `python3`.
        let name = &args[position + 1];
        let family = FAMILIES
            .iter()
            .find(|f| f.name == name)
            .expect("a family name");
        let scenario = (family.scenario)(args[position + 2].parse().expect("N"));
        print!("{}", scenario.source);
        for observer in &scenario.observers {
            println!("# weft explore --observe '{observer}'");
        }
        return;
    }
    let mut disagreements = Vec::new();
    println!(
        "| program | N | executed | sleep-set blocked | expected traces | optimal | seconds | schedules/s | steps/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for family in FAMILIES {
        for &n in family.measured {
            let program = compile(family.name, &(family.scenario)(n));
            let expected = (family.traces)(n);
            let (report, seconds) = measure(&program);
            // Executions that ran to an end are one per trace whatever the sleep sets blocked:
            // fewer means a trace was missed (or the formula is wrong), more a trace explored
            // twice.
            if let Some(expected) = expected
                && report.complete_schedules != expected
            {
                disagreements.push(format!(
                    "{}({n}): {} complete DPOR executions, {expected} traces",
                    family.name, report.complete_schedules
                ));
            }
            let optimal = expected == Some(report.schedules_executed)
                && report.redundant_schedules == 0
                && report.exhaustive;
            println!(
                "| {} | {n} | {}{} | {} | {} | {} | {seconds:.3} | {:.0} | {:.0} |",
                family.name,
                report.schedules_executed,
                if report.exhaustive { "" } else { " (bounded)" },
                report.redundant_schedules,
                or_dash(expected),
                yes_no(optimal),
                report.schedules_executed as f64 / seconds,
                report.steps_executed as f64 / seconds,
            );
        }
    }
    println!();
    println!(
        "| program | N | interleavings (enumerated) | DFS schedules | traces (enumerated) | expected traces | formula holds | DPOR complete | outcomes DFS / DPOR | outcomes agree |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for family in FAMILIES {
        for &n in family.validated {
            let program = compile(family.name, &(family.scenario)(n));
            let expected = (family.traces)(n);
            let counted = count_traces(&program);
            let dfs = explore_with(&program, Strategy::Dfs, Some(MAX_INTERLEAVINGS));
            let dpor = explore_with(&program, Strategy::Dpor, None);
            let (dfs_outcomes, dpor_outcomes) = (outcome_set(&dfs), outcome_set(&dpor));
            // A capped DFS has not seen every outcome: nothing to compare.
            let agree = dfs
                .exhaustive
                .then(|| dpor.exhaustive && dfs_outcomes == dpor_outcomes);
            let holds = match (counted, expected) {
                (Some((_, traces)), Some(expected)) => Some(traces == expected),
                _ => None,
            };
            if holds == Some(false) {
                disagreements.push(format!("{}({n}): the expected trace count", family.name));
            }
            if agree == Some(false) {
                disagreements.push(format!("{}({n}): DFS and DPOR outcomes", family.name));
            }
            println!(
                "| {} | {n} | {} | {}{} | {} | {} | {} | {} | {} / {} | {} |",
                family.name,
                or_dash(counted.map(|(interleavings, _)| interleavings)),
                dfs.schedules_executed,
                if dfs.exhaustive { "" } else { " (capped)" },
                or_dash(counted.map(|(_, traces)| traces)),
                or_dash(expected),
                holds.map_or("-", yes_no),
                dpor.complete_schedules,
                dfs_outcomes.len(),
                dpor_outcomes.len(),
                agree.map_or("-", yes_no),
            );
        }
    }
    if !disagreements.is_empty() {
        println!();
        for disagreement in &disagreements {
            println!("disagreement: {disagreement}");
        }
        std::process::exit(1);
    }
}
