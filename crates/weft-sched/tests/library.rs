//! DFS against DPOR on generated scenarios built from the library's synchronisation objects
//! (semaphores, events, conditions, barriers, queues, thread pools, daemon threads): the
//! outcome sets (with deadlocks) must agree, so DPOR's dependence and reversibility rules for
//! library operations lose nothing.

mod common;

use common::{explore_capped, outcome_set};
use weft_sched::{ExploreReport, SplitMix64, Strategy};

fn check(source: &str, strategy: Strategy) -> ExploreReport {
    explore_capped(source, strategy, 20_000)
}

/// One statement of a worker: each touches a library object or the shared counter.
const STATEMENTS: &[&str] = &[
    "with sem:\n    x += 1",
    "sem0.release()",
    "sem0.acquire()",
    "sem0.acquire(timeout=1)",
    "ev.set()",
    "ev.wait()",
    "ev.wait(1)",
    "y = ev.is_set()",
    "ev.clear()",
    "q.put(x)",
    "x = q.get()",
    "y = q.qsize()",
    "q.get(timeout=1)",
    "q.task_done()",
    "with cond:\n    cond.notify()",
    "with cond:\n    cond.wait()",
    "with cond:\n    cond.wait(1)",
    "y = b.wait()",
    "f = pool.submit(task)\ny = f.result()",
    "pool.submit(task)",
    "x += 1",
    "print(x)",
];

/// A scenario of `bodies` as threads (the last one a daemon when `daemon`), the main thread
/// joining the others and printing the shared state.
fn scenario(bodies: &[String], daemon: bool) -> String {
    let mut source = String::from(
        "import threading\nimport queue\nfrom concurrent.futures import ThreadPoolExecutor\n\n\
         x = 0\ny = 0\nsem = threading.Semaphore(1)\nsem0 = threading.Semaphore(0)\n\
         ev = threading.Event()\nq = queue.Queue(1)\ncond = threading.Condition()\n\
         b = threading.Barrier(2)\npool = ThreadPoolExecutor(max_workers=1)\n\n\n\
         def task():\n    global x\n    x += 1\n    return x\n",
    );
    for (index, body) in bodies.iter().enumerate() {
        source.push_str(&format!("\n\ndef worker{index}():\n    global x, y\n"));
        for line in body.lines() {
            source.push_str(&format!("    {line}\n"));
        }
    }
    source.push_str("\n\ndef main():\n    threads = []\n");
    for index in 0..bodies.len() {
        let is_daemon = daemon && index + 1 == bodies.len();
        source.push_str(&format!(
            "    threads.append(threading.Thread(target=worker{index}, daemon={}))\n",
            if is_daemon { "True" } else { "False" }
        ));
    }
    source.push_str("    for t in threads:\n        t.start()\n");
    let joined = if daemon {
        bodies.len() - 1
    } else {
        bodies.len()
    };
    source.push_str(&format!(
        "    for i in range({joined}):\n        threads[i].join()\n"
    ));
    source.push_str("    print(x, y, q.qsize())\n\n\nmain()\n");
    source
}

#[test]
fn dpor_agrees_with_dfs_on_generated_library_scenarios() {
    let mut rng = SplitMix64::new(11);
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in 0..120 {
        let n_workers = 2;
        let bodies: Vec<String> = (0..n_workers)
            .map(|_| {
                let n = 1 + rng.below(2);
                (0..n)
                    .map(|_| STATEMENTS[rng.below(STATEMENTS.len())])
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        let source = scenario(&bodies, rng.below(4) == 0);
        let dfs = check(&source, Strategy::Dfs);
        if !dfs.exhaustive {
            continue;
        }
        compared += 1;
        let dpor = check(&source, Strategy::Dpor);
        if outcome_set(&dfs) != outcome_set(&dpor) {
            failures.push(format!(
                "case {case}: outcome sets differ\n--- dfs\n{:#?}\n--- dpor\n{:#?}\n--- source\n{source}",
                outcome_set(&dfs),
                outcome_set(&dpor)
            ));
        }
        if failures.len() >= 2 {
            break;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        compared >= 90,
        "only {compared} scenarios were small enough for DFS"
    );
}
