//! Random testing at the boundary: Python source in, run seeds, PCT schedules, campaign reports
//! and shrunk counterexamples out. Pinned seed → schedule pairs, PCT's probabilistic guarantee
//! on known depth-2 bugs, shrinking that keeps the finding, and determinism.

mod common;

use common::compile;
use std::sync::Arc;
use std::time::Duration;

use weft_bytecode::Program;
use weft_detect::Severity;
use weft_sched::{
    Finding, FindingKind, RandomConfig, RandomReport, RunConfig, RunEnd, Schedule, SplitMix64,
    StopReason, count_preemptions, pct_expected_steps, random_runs, replay, replay_prefix, run_pct,
    run_random, run_seed,
};
use weft_vm::ThreadId;

/// Runs a campaign over `source` (the single caller of `random_runs`).
fn check(source: &str, config: &RandomConfig) -> RandomReport {
    random_runs(compile(source), config)
}

/// Two threads each doing a read-modify-write of `x`, then the main thread prints it.
const LOST_UPDATE_PAIR: &str = "\
import threading

x = 0


def worker():
    global x
    tmp = x
    x = tmp + 1


t1 = threading.Thread(target=worker)
t2 = threading.Thread(target=worker)
t1.start()
t2.start()
t1.join()
t2.join()
print(x)
";

/// The two-lock deadlock of scenarios/seeds/two_lock_deadlock.py.
const TWO_LOCK_DEADLOCK: &str = "\
import threading
import time

lock1 = threading.Lock()
lock2 = threading.Lock()


def fun1():
    with lock1:
        print(\"Thread 1 working!!\")
        time.sleep(.1)
        with lock2:
            print(\"Thread 1 won't reach here!!\")


def fun2():
    with lock2:
        print(\"Thread 2 working!!\")
        time.sleep(.1)
        with lock1:
            print(\"Thread 1 won't reach here!!\")


thread1 = threading.Thread(target=fun1)
thread2 = threading.Thread(target=fun2)

thread1.start()
thread2.start()
";

/// `threads` workers each incrementing a shared counter `increments` times; main prints it.
fn counter(threads: usize, increments: usize) -> String {
    format!(
        "\
import threading

counter = 0


def worker():
    global counter
    for i in range({increments}):
        counter += 1


threads = []
for i in range({threads}):
    threads.append(threading.Thread(target=worker))
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
"
    )
}

/// A check-then-act race that raises `IndexError` in a worker, next to a busy bystander thread.
const CHECK_THEN_ACT: &str = "\
import threading

items = [1]
noise = 0


def taker():
    if len(items) > 0:
        items.pop()


def bystander():
    global noise
    for i in range(20):
        noise += 1


threads = [
    threading.Thread(target=bystander),
    threading.Thread(target=taker),
    threading.Thread(target=taker),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(items), noise)
";

/// Four dining philosophers, each taking the left fork first: a deadlock that needs one
/// preemption (a philosopher stopped between its two forks while the others take theirs).
const PHILOSOPHERS: &str = "\
import threading

forks = [threading.Lock(), threading.Lock(), threading.Lock(), threading.Lock()]
meals = 0


def philosopher(i):
    global meals
    left = forks[i]
    right = forks[(i + 1) % 4]
    for k in range(3):
        with left:
            with right:
                meals += 1


threads = []
for i in range(4):
    threads.append(threading.Thread(target=philosopher, args=(i,)))
for t in threads:
    t.start()
for t in threads:
    t.join()
print(meals)
";

/// The PCT bound: one run finds a depth-`d` bug with probability at least `1 / (n·k^(d−1))`, so
/// this many runs find it with probability at least 99%.
fn pct_runs_for_99_percent(n_threads: u64, k: u64, depth: u32) -> u64 {
    let p = 1.0 / (n_threads as f64 * (k as f64).powi(depth as i32 - 1));
    ((0.01f64).ln() / (1.0 - p).ln()).ceil() as u64
}

#[test]
fn run_seeds_are_pinned() {
    // The (i + 1)-th SplitMix64 output of the base seed (checked against an independent
    // Python implementation).
    let pinned: &[(u64, u64, u64)] = &[
        (0, 0, 16294208416658607535),
        (0, 1, 7960286522194355700),
        (7, 0, 7191089600892374487),
        (7, 41, 16967882976242524105),
        (u64::MAX, 3, 7862637804313477842),
    ];
    for &(base, index, seed) in pinned {
        assert_eq!(run_seed(base, index), seed, "run_seed({base}, {index})");
    }
    let mut rng = SplitMix64::new(7);
    for index in 0..100 {
        assert_eq!(run_seed(7, index), rng.next_u64());
    }
}

#[test]
fn uniform_and_pct_schedules_are_pinned() {
    let program = compile(LOST_UPDATE_PAIR);
    let config = RunConfig::default();
    let uniform: Vec<String> = [0, 1, 2, 3]
        .iter()
        .map(|&index| {
            run_random(Arc::clone(&program), run_seed(0, index), &config)
                .schedule
                .to_string()
        })
        .collect();
    assert_eq!(
        uniform,
        [
            "0x10.1.1.0.0.2.2.0x4",
            "0x12.2.1.1.2.0x4",
            "0x10.1.1.0.2.0.0.2.0x3",
            "0x11.1.1.2.0.2.0x4",
        ]
    );
    let k = pct_expected_steps(Arc::clone(&program), 0, &config);
    assert_eq!(k, 20);
    let pct: Vec<String> = [0, 1, 2, 3]
        .iter()
        .map(|&index| {
            run_pct(Arc::clone(&program), run_seed(0, index), 2, k, &config)
                .schedule
                .to_string()
        })
        .collect();
    // Run 0 draws change point 14 and puts both workers below main; run 1 draws change point
    // 6, so main drops before the workers exist and each worker runs as soon as it starts.
    assert_eq!(
        pct,
        [
            "0x12.2.2.1.1.0x4",
            "0x10.1.1.0.2.2.0x5",
            "0x12.2.2.1.1.0x4",
            "0x10.1.1.0.2.2.0x5",
        ]
    );
    let program = compile(&counter(3, 2));
    let k = pct_expected_steps(Arc::clone(&program), 0, &config);
    assert_eq!(k, 56);
    let pct3: Vec<String> = (0..4)
        .map(|seed| {
            let run = run_pct(Arc::clone(&program), seed, 3, k, &config);
            format!("{} -> {}", run.schedule, run.stdout.trim_end())
        })
        .collect();
    assert_eq!(
        pct3,
        [
            "0x23.1.1.0x6.3x4.0x5.2x4.1.1.0x10 -> 6",
            "0x32.3x4.2x4.1x4.0x12 -> 6",
            "0x34.3x4.1x4.2x4.0x10 -> 6",
            "0x23.1x4.0x3.2x4.0x3.3x4.0x15 -> 6",
        ]
    );
}

#[test]
fn a_run_seed_reproduces_its_campaign_run() {
    let program = compile(LOST_UPDATE_PAIR);
    for pct_depth in [None, Some(2)] {
        let config = RandomConfig {
            runs: 50,
            seed: 3,
            pct_depth,
            shrink: false,
            ..RandomConfig::default()
        };
        let report = random_runs(Arc::clone(&program), &config);
        assert_eq!(report.runs, 50);
        assert_eq!(report.outcomes.iter().map(|o| o.runs).sum::<u64>(), 50);
        for outcome in &report.outcomes {
            let run = match report.pct_expected_steps {
                None => run_random(Arc::clone(&program), outcome.first_seed, &config.run),
                Some(k) => run_pct(Arc::clone(&program), outcome.first_seed, 2, k, &config.run),
            };
            assert_eq!(run.stdout, outcome.stdout);
        }
        // Both orders of the lost update show up: 1 and 2.
        let printed: Vec<&str> = report.outcomes.iter().map(|o| o.stdout.as_str()).collect();
        assert_eq!(printed, ["1\n", "2\n"], "{pct_depth:?}");
    }
}

#[test]
fn pct_depth_2_finds_the_two_lock_deadlock_within_its_bound() {
    let program = compile(TWO_LOCK_DEADLOCK);
    let seed = 1;
    let k = pct_expected_steps(Arc::clone(&program), seed, &RunConfig::default());
    let runs = pct_runs_for_99_percent(3, k, 2);
    let config = RandomConfig {
        runs,
        seed,
        pct_depth: Some(2),
        stop_on_first: true,
        ..RandomConfig::default()
    };
    let report = random_runs(Arc::clone(&program), &config);
    assert_eq!(report.pct_expected_steps, Some(k));
    assert_eq!(
        report.stopped,
        Some(StopReason::FirstFinding),
        "{report:#?}"
    );
    let [finding] = &errors(&report).collect::<Vec<_>>()[..] else {
        panic!("one error expected: {report:#?}")
    };
    let FindingKind::Deadlock { report: deadlock } = &finding.kind else {
        panic!("a deadlock expected: {finding:#?}")
    };
    let cycles: Vec<&[ThreadId]> = deadlock
        .cycles
        .iter()
        .map(|c| c.threads.as_slice())
        .collect();
    assert_eq!(cycles, [[ThreadId(1), ThreadId(2)].as_slice()]);
    // The printed run seed reproduces it.
    let run = run_pct(
        Arc::clone(&program),
        finding.seed,
        2,
        k,
        &RunConfig::default(),
    );
    assert!(matches!(run.end, RunEnd::Deadlocked { .. }));
    assert_eq!(run.schedule, finding.schedule);
    assert_shrunk_findings_replay(&program, &report);
}

#[test]
fn pct_depth_2_finds_a_lost_update_within_its_bound() {
    for (threads, increments) in [(2, 3), (3, 2), (5, 1)] {
        let source = counter(threads, increments);
        let program = compile(&source);
        let seed = 5;
        let k = pct_expected_steps(Arc::clone(&program), seed, &RunConfig::default());
        let runs = pct_runs_for_99_percent(threads as u64 + 1, k, 2);
        // A lost update is an outcome, not a finding, so the campaign runs its whole budget.
        let config = RandomConfig {
            runs,
            seed,
            pct_depth: Some(2),
            ..RandomConfig::default()
        };
        let report = check(&source, &config);
        assert_eq!(report.runs, runs);
        let expected = threads * increments;
        let lost = report
            .outcomes
            .iter()
            .find(|o| o.stdout.trim_end().parse::<usize>().unwrap() < expected)
            .unwrap_or_else(|| panic!("no lost update in {runs} runs: {report:#?}"));
        let run = run_pct(Arc::clone(&program), lost.first_seed, 2, k, &config.run);
        assert_eq!(run.stdout, lost.stdout);
    }
}

/// The findings that are errors (warnings are not shrunk).
fn errors(report: &RandomReport) -> impl Iterator<Item = &Finding> {
    (report.findings.iter()).filter(|f| f.kind.severity() == Severity::Error)
}

/// Every error's shrunk schedule replays to the same finding, with no more preemptions; every
/// warning's own schedule replays to it.
fn assert_shrunk_findings_replay(program: &Arc<Program>, report: &RandomReport) {
    let config = RunConfig::default();
    for finding in &report.findings {
        let original = count_preemptions(Arc::clone(program), &finding.schedule, &config).unwrap();
        assert_eq!(original, finding.preemptions);
        if finding.kind.severity() == Severity::Warning {
            assert!(finding.shrunk.is_none(), "{finding:#?}");
            let run = replay(Arc::clone(program), &finding.schedule, &config).unwrap();
            assert!(finding.kind.found_in(&run), "{finding:#?}\n{run:#?}");
            continue;
        }
        let shrunk = finding.shrunk.as_ref().expect("shrinking was on");
        let run = replay(Arc::clone(program), &shrunk.schedule, &config).unwrap();
        assert!(finding.kind.found_in(&run), "{finding:#?}\n{run:#?}");
        let preemptions =
            count_preemptions(Arc::clone(program), &shrunk.schedule, &config).unwrap();
        assert_eq!(preemptions, shrunk.preemptions);
        assert!(preemptions <= original, "{finding:#?}");
        assert_eq!(shrunk.original_preemptions, original);
    }
}

#[test]
fn shrinking_keeps_the_finding_and_drops_preemptions() {
    let program = compile(CHECK_THEN_ACT);
    let config = RandomConfig {
        runs: 200,
        seed: 11,
        ..RandomConfig::default()
    };
    let report = random_runs(Arc::clone(&program), &config);
    assert!(errors(&report).next().is_some(), "{report:#?}");
    assert_shrunk_findings_replay(&program, &report);
    for finding in errors(&report) {
        let shrunk = finding.shrunk.as_ref().unwrap();
        assert_eq!(shrunk.preemptions, 1, "{finding:#?}");
        assert!(shrunk.fixpoint);
    }
    let deadlocks = check(
        TWO_LOCK_DEADLOCK,
        &RandomConfig {
            runs: 100,
            ..RandomConfig::default()
        },
    );
    assert_shrunk_findings_replay(&compile(TWO_LOCK_DEADLOCK), &deadlocks);
    for finding in errors(&deadlocks) {
        assert_eq!(finding.shrunk.as_ref().unwrap().preemptions, 1);
    }
    // A uniform random deadlock of the philosophers has dozens of preemptions; one is enough.
    // (Philosophers 0 and 2 share no fork, so `meals += 1` also loses updates: a second finding.)
    let philosophers = check(
        PHILOSOPHERS,
        &RandomConfig {
            runs: 10,
            seed: 1,
            ..RandomConfig::default()
        },
    );
    assert_shrunk_findings_replay(&compile(PHILOSOPHERS), &philosophers);
    let deadlocks: Vec<_> = philosophers
        .findings
        .iter()
        .filter(|f| matches!(f.kind, FindingKind::Deadlock { .. }))
        .collect();
    let [finding] = &deadlocks[..] else {
        panic!("one deadlock expected: {philosophers:#?}")
    };
    assert!(finding.preemptions > 20, "{finding:#?}");
    assert_eq!(finding.shrunk.as_ref().unwrap().preemptions, 1);
}

#[test]
fn replay_prefix_completes_without_preemptions() {
    let program = compile(CHECK_THEN_ACT);
    let config = RunConfig::default();
    let run = replay_prefix(Arc::clone(&program), &Schedule::new(), &config).unwrap();
    assert_eq!(run.end, RunEnd::Completed);
    assert_eq!(
        count_preemptions(Arc::clone(&program), &run.schedule, &config),
        Ok(0)
    );
    assert_eq!(
        replay(Arc::clone(&program), &run.schedule, &config),
        Ok(run.clone())
    );
    let bad: Schedule = "7".parse().unwrap();
    assert!(replay_prefix(Arc::clone(&program), &bad, &config).is_err());
    let mut too_long = run.schedule.clone();
    too_long.push(ThreadId(0));
    assert!(replay_prefix(program, &too_long, &config).is_err());
}

#[test]
fn campaigns_are_deterministic() {
    for pct_depth in [None, Some(2), Some(3)] {
        let config = RandomConfig {
            runs: 100,
            seed: 99,
            pct_depth,
            ..RandomConfig::default()
        };
        for source in [CHECK_THEN_ACT, TWO_LOCK_DEADLOCK] {
            let first = check(source, &config);
            let second = check(source, &config);
            assert_eq!(first, second);
        }
    }
}

#[test]
fn long_schedules_round_trip() {
    let mut rng = SplitMix64::new(1);
    let mut schedule = Schedule::new();
    for _ in 0..1_000_000 {
        schedule.push(ThreadId(rng.below(4) as u32));
    }
    let text = schedule.to_string();
    assert_eq!(text.parse::<Schedule>().unwrap(), schedule);
    let mut runs = Schedule::new();
    for step in 0..1_000_000u32 {
        runs.push(ThreadId(step / 1000 % 3));
    }
    let text = runs.to_string();
    assert!(
        text.starts_with("0x1000.1x1000.2x1000.0x1000"),
        "{text:.40}"
    );
    assert_eq!(text.parse::<Schedule>().unwrap(), runs);
}

#[test]
fn a_zero_time_limit_stops_before_the_first_run() {
    let report = check(
        LOST_UPDATE_PAIR,
        &RandomConfig {
            time_limit: Some(Duration::ZERO),
            ..RandomConfig::default()
        },
    );
    assert_eq!(report.runs, 0);
    assert_eq!(report.stopped, Some(StopReason::TimeLimit));
    assert!(report.outcomes.is_empty());
}

/// The most steps a scenario's first run may take for the campaign below to include it, so the
/// suite stays fast whatever scenarios are added.
const SCENARIO_STEP_CAP: usize = 20_000;

#[test]
fn every_scenario_shrinks_and_reproduces() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut paths = Vec::new();
    for directory in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(directory.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "py") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let source = std::fs::read_to_string(&path).unwrap();
        let program = compile(&source);
        let first = run_random(Arc::clone(&program), 0, &RunConfig::default());
        if first.steps() > SCENARIO_STEP_CAP {
            continue;
        }
        for pct_depth in [None, Some(2)] {
            let config = RandomConfig {
                runs: 30,
                seed: 2,
                pct_depth,
                ..RandomConfig::default()
            };
            let report = random_runs(Arc::clone(&program), &config);
            assert_shrunk_findings_replay(&program, &report);
            for finding in &report.findings {
                let run = match report.pct_expected_steps {
                    None => run_random(Arc::clone(&program), finding.seed, &config.run),
                    Some(k) => run_pct(Arc::clone(&program), finding.seed, 2, k, &config.run),
                };
                assert_eq!(run.schedule, finding.schedule, "{}", path.display());
            }
        }
    }
}
