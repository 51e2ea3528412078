//! Exploration at the boundary: Python source in, search figures and outcome sets out.
//! Known interleaving counts, DFS against DPOR on generated scenarios, determinism, and the
//! deadlock verdict against its definition at every end state.

mod common;

use common::{compile, explore_capped, outcome_set};
use std::sync::Arc;

use weft_sched::{
    Ending, ExploreReport, RunConfig, RunEnd, Schedule, SplitMix64, Strategy, replay,
};
use weft_vm::{RunStatus, ThreadId, ThreadState, Vm, VmConfig};

/// Compiles `source` and explores it with `strategy`.
fn check(source: &str, strategy: Strategy) -> ExploreReport {
    explore_capped(source, strategy, 20_000)
}

/// A scenario whose workers are the given function bodies (indented by the caller's lines).
/// Workers receive the locks as arguments, so the only shared state they touch is the globals
/// `x`, `y`, `z` and the locks; the main thread creates every thread before starting any and
/// prints only after joining them all, so it adds no interleavings of its own.
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

/// Hand-checked counts: (workers, schedules DFS must execute, schedules DPOR may execute).
#[test]
fn known_interleaving_counts() {
    let table: &[(&[&str], u64, u64)] = &[
        // Two lost-update candidates: 4!/(2!2!) = 6 interleavings, 4 Mazurkiewicz traces.
        (&["tmp = x\nx = tmp + 1", "tmp = x\nx = tmp + 1"], 6, 4),
        // Independent writes: 2 interleavings, 1 trace.
        (&["x = 1", "y = 1"], 2, 1),
        // Conflicting writes: 2 and 2.
        (&["x = 1", "x = 2"], 2, 2),
        // Two reads commute.
        (&["tmp = x", "tmp = x"], 2, 1),
        // Three conflicting writes: 3! orders.
        (&["x = 1", "x = 2", "x = 3"], 6, 6),
        // Three independent writes: 6 interleavings, 1 trace.
        (&["x = 1", "y = 1", "z = 1"], 6, 1),
        // Two critical sections: only their order matters.
        (
            &["with lock_a:\n    x += 1", "with lock_a:\n    x += 1"],
            2,
            2,
        ),
        // A write and a read-modify-write of another variable: 3 interleavings... of which
        // none conflict.
        (&["x = 1", "tmp = y\ny = tmp + 1"], 3, 1),
    ];
    let mut failures = Vec::new();
    for (workers, dfs_expected, dpor_expected) in table {
        let source = scenario(workers);
        let dfs = check(&source, Strategy::Dfs);
        let dpor = check(&source, Strategy::Dpor);
        if dfs.schedules_executed != *dfs_expected || dpor.schedules_executed != *dpor_expected {
            failures.push(format!(
                "{workers:?}: dfs {} (expected {dfs_expected}), dpor {} (expected {dpor_expected})",
                dfs.schedules_executed, dpor.schedules_executed
            ));
        }
        assert!(dfs.exhaustive && dpor.exhaustive);
        assert_eq!(outcome_set(&dfs), outcome_set(&dpor), "{workers:?}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A random worker body: reads, writes, increments and prints of the globals, critical
/// sections (sometimes nested, in either lock order), explicit acquire/release.
fn random_worker(rng: &mut SplitMix64, index: usize) -> String {
    let vars = ["x", "y", "z"];
    let locks = ["lock_a", "lock_b"];
    let mut body = String::new();
    let n_statements = 1 + rng.below(2);
    for _ in 0..n_statements {
        let n_vars = 2 + usize::from(rng.below(4) == 0);
        let var = vars[rng.below(n_vars)];
        let simple = |rng: &mut SplitMix64| -> String {
            match rng.below(5) {
                0 => format!("tmp = {var}\n{var} = tmp + {}\n", index + 1),
                1 => format!("{var} = {}\n", index + 10),
                2 => format!("{var} += 1\n"),
                3 => format!("print({var})\n"),
                _ => format!("tmp = {var}\n"),
            }
        };
        match rng.below(6) {
            0 | 1 => {
                let first = locks[rng.below(2)];
                let inner = simple(rng);
                if rng.below(3) == 0 {
                    let second = if first == "lock_a" {
                        "lock_b"
                    } else {
                        "lock_a"
                    };
                    body.push_str(&format!("with {first}:\n    with {second}:\n"));
                    for line in inner.lines() {
                        body.push_str(&format!("        {line}\n"));
                    }
                } else {
                    body.push_str(&format!("with {first}:\n"));
                    for line in inner.lines() {
                        body.push_str(&format!("    {line}\n"));
                    }
                }
            }
            2 => {
                let lock = locks[rng.below(2)];
                body.push_str(&format!("{lock}.acquire()\n"));
                body.push_str(&simple(rng));
                body.push_str(&format!("{lock}.release()\n"));
            }
            _ => body.push_str(&simple(rng)),
        }
    }
    body
}

/// A generated scenario: two workers (sometimes three) with random bodies.
fn random_scenario(rng: &mut SplitMix64) -> String {
    let n_workers = 2 + usize::from(rng.below(4) == 0);
    let workers: Vec<String> = (0..n_workers).map(|i| random_worker(rng, i)).collect();
    let refs: Vec<&str> = workers.iter().map(String::as_str).collect();
    scenario(&refs)
}

/// Explores `source` with DPOR and compares it with its DFS report: the outcome sets must be
/// equal and DPOR may not run more schedules. Adds both schedule counts to `totals` (DFS,
/// DPOR) and a message per failure to `failures`.
fn compare_with_dpor(
    case: usize,
    source: &str,
    dfs: &ExploreReport,
    totals: &mut (u64, u64),
    failures: &mut Vec<String>,
) {
    let dpor = check(source, Strategy::Dpor);
    totals.0 += dfs.schedules_executed;
    totals.1 += dpor.schedules_executed;
    if outcome_set(dfs) != outcome_set(&dpor) {
        failures.push(format!(
            "case {case}: outcome sets differ\n--- dfs\n{:#?}\n--- dpor\n{:#?}\n--- source\n{source}",
            outcome_set(dfs),
            outcome_set(&dpor)
        ));
    } else if dpor.schedules_executed > dfs.schedules_executed {
        failures.push(format!(
            "case {case}: dpor ran {} schedules, dfs {}\n{source}",
            dpor.schedules_executed, dfs.schedules_executed
        ));
    }
}

/// DFS and DPOR agree on outcome sets and deadlocks on hundreds of generated scenarios, and
/// DPOR never executes more schedules than DFS.
#[test]
fn dpor_agrees_with_dfs_on_generated_scenarios() {
    let mut rng = SplitMix64::new(2026);
    let mut failures = Vec::new();
    let mut totals = (0, 0);
    for case in 0..300 {
        let source = random_scenario(&mut rng);
        let dfs = check(&source, Strategy::Dfs);
        if !dfs.exhaustive {
            continue;
        }
        compare_with_dpor(case, &source, &dfs, &mut totals, &mut failures);
        if failures.len() >= 3 {
            break;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(totals.1 < totals.0, "dpor {} vs dfs {}", totals.1, totals.0);
}

/// A scenario whose workers touch the shared list `lst` and dict `d` with the given bodies
/// (`index` is the worker's number); main starts them all, joins them and prints both.
fn item_scenario(workers: &[String]) -> String {
    let mut source = String::from("import threading\n\nlst = [0, 0, 0]\nd = {\"a\": 0, 1: 0}\n");
    for (index, body) in workers.iter().enumerate() {
        source.push_str(&format!("\ndef worker{index}():\n"));
        for line in body.lines() {
            source.push_str("    ");
            source.push_str(line);
            source.push('\n');
        }
    }
    source.push_str("\n\ndef main():\n    threads = []\n");
    for index in 0..workers.len() {
        source.push_str(&format!(
            "    threads.append(threading.Thread(target=worker{index}))\n"
        ));
    }
    source.push_str(
        "    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n    print(lst, d)\n\n\nmain()\n",
    );
    source
}

/// A random worker body on list items and dict keys: reads and read-modify-writes of one slot
/// (by a non-negative or a negative index) or key (`1`, `1.0` and `True` are one key), and
/// operations on the whole container: `append`, `pop`, `len`, `in`, a new key, `del`, `pop` of a
/// key, formatting.
fn random_item_worker(rng: &mut SplitMix64, index: usize) -> String {
    let mut body = String::new();
    for _ in 0..1 + rng.below(2) {
        let slot = rng.below(3);
        let key = ["\"a\"", "1", "1.0", "True", "\"b\""][rng.below(5)];
        let statement = match rng.below(14) {
            0 => format!("lst[{slot}] = lst[{slot}] + {}\n", index + 1),
            1 => format!("tmp = lst[{slot}]\n"),
            2 => format!("lst[{slot}] = {}\n", index + 10),
            3 => format!("lst[-1] += {}\n", index + 1),
            4 => format!("lst.append({index})\n"),
            5 => "lst.pop()\n".to_owned(),
            6 => "print(len(lst))\n".to_owned(),
            7 => format!("print({} in lst)\n", index + 10),
            8 => format!("d[{key}] = d.get({key}, 0) + 1\n"),
            9 => format!("print({key} in d)\n"),
            10 => format!("d[{key}] = {}\n", index + 10),
            11 => format!("print(d.pop({key}, None))\n"),
            12 => format!("if {key} in d:\n    del d[{key}]\n"),
            _ => "print(d)\n".to_owned(),
        };
        body.push_str(&statement);
    }
    body
}

/// DFS and DPOR agree on outcome sets on generated scenarios of list items and dict keys (each
/// its own location), and DPOR needs fewer schedules.
#[test]
fn dpor_agrees_with_dfs_on_generated_item_scenarios() {
    let mut rng = SplitMix64::new(2027);
    let mut failures = Vec::new();
    let mut totals = (0, 0);
    let mut compared = 0;
    for case in 0..150 {
        let n_workers = 2 + usize::from(rng.below(4) == 0);
        let workers: Vec<String> = (0..n_workers)
            .map(|i| random_item_worker(&mut rng, i))
            .collect();
        let source = item_scenario(&workers);
        let dfs = check(&source, Strategy::Dfs);
        if !dfs.exhaustive {
            continue;
        }
        compared += 1;
        compare_with_dpor(case, &source, &dfs, &mut totals, &mut failures);
        if failures.len() >= 3 {
            break;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        compared > 100,
        "only {compared} cases were explored exhaustively"
    );
    assert!(totals.1 < totals.0, "dpor {} vs dfs {}", totals.1, totals.0);
}

/// The generated cases that once made DPOR and DFS disagree, kept under scenarios/regressions.
#[test]
fn dpor_agrees_with_dfs_on_regressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/regressions exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let source = std::fs::read_to_string(&path).expect("readable");
        let dfs = check(&source, Strategy::Dfs);
        let dpor = check(&source, Strategy::Dpor);
        assert!(dfs.exhaustive, "{}", path.display());
        assert_eq!(outcome_set(&dfs), outcome_set(&dpor), "{}", path.display());
    }
}

#[test]
fn exploring_twice_gives_identical_reports() {
    let source = scenario(&[
        "with lock_a:\n    with lock_b:\n        x += 1",
        "with lock_b:\n    with lock_a:\n        y += 1",
        "print(\"w2\", x)",
    ]);
    for strategy in [Strategy::Dfs, Strategy::Dpor] {
        let first = check(&source, strategy);
        let second = check(&source, strategy);
        assert_eq!(first, second);
        assert!(
            !first.deadlocks.is_empty(),
            "the lock-order inversion deadlocks"
        );
    }
}

/// Every end state of a search, found by a plain depth-first walk over `Vm` snapshots (every
/// enabled thread at every state, as `Strategy::Dfs` does): each leaf's schedule and whether it
/// is deadlocked by definition (no enabled thread, some thread unfinished). `None` when there
/// are more than `max_leaves`.
fn end_states(source: &str, max_leaves: usize) -> Option<Vec<(Schedule, bool)>> {
    let program = compile(source);
    let mut leaves = Vec::new();
    let mut stack = vec![(Vm::new(program, VmConfig::default()), Vec::new())];
    let mut enabled = Vec::new();
    while let Some((vm, schedule)) = stack.pop() {
        vm.enabled_threads(&mut enabled);
        if vm.status() != RunStatus::Running || enabled.is_empty() {
            let unfinished = (0..vm.n_threads() as u32)
                .any(|t| vm.thread_state(ThreadId(t)) != ThreadState::Finished);
            leaves.push((Schedule::from(schedule), enabled.is_empty() && unfinished));
            if leaves.len() > max_leaves {
                return None;
            }
            continue;
        }
        for &thread in enabled.iter().rev() {
            let mut next = vm.clone();
            next.step(thread);
            let mut next_schedule = schedule.clone();
            next_schedule.push(thread);
            stack.push((next, next_schedule));
        }
    }
    Some(leaves)
}

/// On generated scenarios, the deadlock verdict agrees with its definition at the end of every
/// execution: DFS counts as many deadlocked executions (outcomes and deadlock findings) as the
/// walk finds end states with no enabled thread and some thread unfinished, and replaying each
/// end state's schedule reports a deadlock exactly when it is one.
#[test]
fn deadlock_verdict_agrees_with_its_definition_on_generated_scenarios() {
    let mut rng = SplitMix64::new(4);
    let mut checked = 0;
    let mut deadlocked_states = 0;
    for case in 0..120 {
        let source = random_scenario(&mut rng);
        let Some(leaves) = end_states(&source, 2_000) else {
            continue;
        };
        let dfs = check(&source, Strategy::Dfs);
        assert!(dfs.exhaustive, "case {case}\n{source}");
        assert_eq!(
            dfs.complete_schedules,
            leaves.len() as u64,
            "case {case}\n{source}"
        );
        let truth = leaves.iter().filter(|(_, deadlocked)| *deadlocked).count() as u64;
        let by_outcome: u64 = (dfs.outcomes.iter())
            .filter(|o| o.ending == Ending::Deadlocked)
            .map(|o| o.schedules)
            .sum();
        let by_finding: u64 = dfs.deadlocks.iter().map(|d| d.schedules).sum();
        assert_eq!(
            (by_outcome, by_finding),
            (truth, truth),
            "case {case}\n{source}"
        );
        let program = compile(&source);
        for (schedule, deadlocked) in &leaves {
            let report = replay(Arc::clone(&program), schedule, &RunConfig::default())
                .expect("an end state's schedule replays");
            let verdict = matches!(report.end, RunEnd::Deadlocked { .. });
            assert_eq!(
                verdict, *deadlocked,
                "case {case} schedule {schedule}\n{source}"
            );
        }
        checked += 1;
        deadlocked_states += truth;
    }
    assert!(checked >= 60, "only {checked} scenarios were small enough");
    assert!(deadlocked_states > 0, "no generated scenario deadlocked");
}
