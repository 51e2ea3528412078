//! Exhaustive enumeration of schedules with `Vm::clone` snapshots: the number of distinct
//! interleavings of small scenarios, and their outcome sets, are what the model predicts.

use std::collections::BTreeSet;
use std::sync::Arc;

use weft_vm::{RunStatus, Vm, VmConfig};

/// Every complete schedule from `vm`: how many there are, and the set of (status, stdout).
fn explore(vm: &Vm, count: &mut u64, outcomes: &mut BTreeSet<String>) {
    let mut enabled = Vec::new();
    vm.enabled_threads(&mut enabled);
    if vm.status() != RunStatus::Running {
        *count += 1;
        outcomes.insert(format!("{:?}: {}", vm.status(), vm.stdout().trim_end()));
        return;
    }
    for thread in enabled {
        let mut next = vm.clone();
        next.step(thread);
        explore(&next, count, outcomes);
    }
}

/// The same scenario shape as weft-sched's explorer tests: workers get the locks as
/// arguments, main creates all threads, starts them, joins them and prints `x y z`.
fn scenario(workers: &[&str]) -> String {
    let mut source = String::from(
        "import threading\n\nx = 0\ny = 0\nz = 0\nlock_a = threading.Lock()\nlock_b = threading.Lock()\n\n",
    );
    for (index, body) in workers.iter().enumerate() {
        source.push_str(&format!(
            "\ndef worker{index}(lock_a, lock_b):\n    global x, y, z\n"
        ));
        for line in body.lines() {
            source.push_str("    ");
            source.push_str(line);
            source.push('\n');
        }
    }
    source.push_str("\n\ndef main():\n    threads = []\n");
    for index in 0..workers.len() {
        source.push_str(&format!(
            "    threads.append(threading.Thread(target=worker{index}, args=(lock_a, lock_b)))\n"
        ));
    }
    source.push_str(
        "    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n    print(x, y, z)\n\n\nmain()\n",
    );
    source
}

fn count(source: &str) -> (u64, BTreeSet<String>) {
    let program = weft_lang::compile("generated.py", source)
        .unwrap_or_else(|diagnostics| panic!("does not compile: {diagnostics:?}\n{source}"));
    let vm = Vm::new(Arc::new(program), VmConfig::default());
    let mut total = 0;
    let mut outcomes = BTreeSet::new();
    explore(&vm, &mut total, &mut outcomes);
    (total, outcomes)
}

#[test]
fn interleaving_counts_match_the_model() {
    let table: &[(&[&str], u64, &[&str])] = &[
        (
            &["tmp = x\nx = tmp + 1", "tmp = x\nx = tmp + 1"],
            6,
            &["Completed: 1 0 0", "Completed: 2 0 0"],
        ),
        (&["x = 1", "y = 1"], 2, &["Completed: 1 1 0"]),
        (
            &["x = 1", "x = 2"],
            2,
            &["Completed: 1 0 0", "Completed: 2 0 0"],
        ),
        (
            &["x = 1", "x = 2", "x = 3"],
            6,
            &["Completed: 1 0 0", "Completed: 2 0 0", "Completed: 3 0 0"],
        ),
        (
            &["with lock_a:\n    x += 1", "with lock_a:\n    x += 1"],
            2,
            &["Completed: 2 0 0"],
        ),
        (
            &["x += 1", "x += 1"],
            6,
            &["Completed: 1 0 0", "Completed: 2 0 0"],
        ),
        (
            &[
                "with lock_a:\n    with lock_b:\n        x = 1",
                "with lock_b:\n    with lock_a:\n        y = 1",
            ],
            // Lock-order inversion: some schedules deadlock.
            6,
            &["Completed: 1 1 0", "Deadlocked: "],
        ),
    ];
    for (workers, expected_count, expected_outcomes) in table {
        let (total, outcomes) = count(&scenario(workers));
        let outcomes: Vec<&str> = outcomes.iter().map(String::as_str).collect();
        assert_eq!(&outcomes, expected_outcomes, "{workers:?}");
        assert_eq!(total, *expected_count, "{workers:?}");
    }
}

/// The visible operations of a single-threaded program, described, in order.
fn visible_ops(source: &str) -> Vec<String> {
    let program = weft_lang::compile("single.py", source).expect("compiles");
    let mut vm = Vm::new(Arc::new(program), VmConfig::default());
    let mut enabled = Vec::new();
    let mut ops = Vec::new();
    while vm.status() == RunStatus::Running {
        vm.enabled_threads(&mut enabled);
        let event = vm.step(enabled[0]);
        ops.push(vm.describe_op(&event.op));
    }
    ops
}

#[test]
fn a_closure_cell_shared_by_two_threads_is_shared_state() {
    let source = "import threading\n\n\ndef main():\n    count = 0\n\n    def work():\n        nonlocal count\n        count += 1\n\n    threads = [threading.Thread(target=work) for _ in range(2)]\n    for thread in threads:\n        thread.start()\n    for thread in threads:\n        thread.join()\n    print(count)\n\n\nmain()\n";
    let (total, outcomes) = count(source);
    let outcomes: Vec<&str> = outcomes.iter().map(String::as_str).collect();
    // Some schedule loses an update of the `nonlocal` counter: both threads read 0.
    assert_eq!(outcomes, ["Completed: 1", "Completed: 2"]);
    // Each worker reads and writes the cell (2 steps); main reads it and prints only after
    // joining both: the interleavings of two 2-step threads.
    assert_eq!(total, 6);
}

#[test]
fn a_private_closure_cell_costs_no_steps() {
    let source = "def main():\n    count = 0\n\n    def work():\n        nonlocal count\n        count += 1\n\n    for _ in range(3):\n        work()\n    return count\n\n\nresult = main()\n";
    assert_eq!(
        visible_ops(source),
        [
            "write global main",
            "read global main",
            "write global result"
        ]
    );
}

#[test]
fn a_module_level_comprehension_adds_no_visible_steps() {
    let with_loop_variable = |body: &str| visible_ops(&format!("n = 3\n{body}\n"));
    // The iteration variable is a local of the comprehension, never a global; only the read of
    // the global `n` and the store of the result are steps.
    assert_eq!(
        with_loop_variable("squares = [x * x for x in range(n) if x]"),
        ["write global n", "read global n", "write global squares"]
    );
    // A `for` loop at module level, by contrast, stores its variable in a global each time.
    assert_eq!(
        with_loop_variable("for x in range(n):\n    pass").len(),
        2 + 3
    );
}
