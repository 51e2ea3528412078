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
