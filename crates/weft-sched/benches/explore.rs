//! The exploration benchmark: schedules executed by `dfs` and `dpor`, wall time, schedules/s,
//! visible steps/s and peak memory over a fixed set of generated scenarios.
//!
//! `cargo bench -p weft-sched --bench explore` prints a Markdown table. Each measurement runs in
//! a child process of this binary so that its peak resident memory (`VmHWM`) is its own. Every
//! row is measured with the detectors (lost updates, lock order, data races) on and off
//! ([`ExploreConfig::detectors`]), [`REPEATS`] times each, alternating; a row shows the fastest
//! of each, and `overhead` is the ratio of the two CPU times (on / off), which other processes
//! on a shared machine disturb less than wall time.

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use weft_sched::{ExploreConfig, Strategy, explore};

/// A cap so that the largest DFS searches end in reasonable time; a capped search is marked.
const MAX_SCHEDULES: u64 = 200_000;

/// How many times each measurement is repeated (the fastest counts).
const REPEATS: usize = 3;

/// The shortest CPU time whose overhead ratio is shown: the kernel counts CPU time in ticks of a
/// few milliseconds, so shorter searches show `-`.
const MIN_CPU_SECONDS: f64 = 0.05;

fn increments(threads: usize, k: usize, locked: bool) -> String {
    let body = if locked {
        "        with lock:\n            counter += 1\n"
    } else {
        "        counter += 1\n"
    };
    format!(
        "import threading\ncounter = 0\nlock = threading.Lock()\n\ndef worker():\n    global counter\n    for _ in range({k}):\n{body}\n\ndef main():\n    threads = []\n    for _ in range({threads}):\n        threads.append(threading.Thread(target=worker))\n    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n    print(counter)\n\nmain()\n"
    )
}

fn two_lock_deadlock() -> String {
    "import threading\na = threading.Lock()\nb = threading.Lock()\n\ndef one(a, b):\n    with a:\n        with b:\n            pass\n\ndef two(a, b):\n    with b:\n        with a:\n            pass\n\ndef main():\n    t1 = threading.Thread(target=one, args=(a, b))\n    t2 = threading.Thread(target=two, args=(a, b))\n    t1.start()\n    t2.start()\n    t1.join()\n    t2.join()\n\nmain()\n".to_string()
}

fn philosophers(n: usize) -> String {
    format!(
        "import threading\n\ndef philosopher(left, right):\n    with left:\n        with right:\n            pass\n\ndef main():\n    forks = []\n    for _ in range({n}):\n        forks.append(threading.Lock())\n    threads = []\n    for i in range({n}):\n        threads.append(threading.Thread(target=philosopher, args=(forks[i], forks[(i + 1) % {n}])))\n    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n\nmain()\n"
    )
}

fn scenarios() -> Vec<(String, String)> {
    let mut list = Vec::new();
    for n in 2..=4 {
        for k in 1..=3 {
            list.push((
                format!("{n} threads x {k} increments"),
                increments(n, k, false),
            ));
        }
    }
    for n in 2..=4 {
        list.push((
            format!("{n} threads x 2 locked increments"),
            increments(n, 2, true),
        ));
    }
    list.push(("two-lock deadlock".to_string(), two_lock_deadlock()));
    for n in 3..=6 {
        list.push((format!("{n} dining philosophers"), philosophers(n)));
    }
    list
}

fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The CPU time this process has run, in seconds (`/proc/self/schedstat`, in nanoseconds).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0) as f64
        / 1e9
}

/// Child mode: explore one scenario with one strategy, detectors on or off, and print
/// `schedules exhaustive outcomes seconds steps peak_kib cpu_seconds` on one line.
fn measure(index: usize, strategy: Strategy, detectors: bool) {
    let (_, source) = &scenarios()[index];
    let program =
        Arc::new(weft_lang::compile("bench.py", source).expect("bench scenarios compile"));
    let config = ExploreConfig {
        strategy,
        max_schedules: Some(MAX_SCHEDULES),
        detectors,
        ..ExploreConfig::default()
    };
    let started = Instant::now();
    let cpu_started = cpu_seconds();
    let report = explore(program, &config);
    let cpu = cpu_seconds() - cpu_started;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} {} {} {seconds} {} {} {cpu}",
        report.schedules_executed,
        report.exhaustive,
        report.outcomes.len(),
        report.steps_executed,
        peak_memory_kib(),
    );
}

/// One measurement, as a child process printed it.
struct Measurement {
    schedules: f64,
    exhaustive: bool,
    outcomes: String,
    seconds: f64,
    steps: f64,
    peak_kib: f64,
    cpu: f64,
}

/// Runs one measurement in a child process.
fn child(exe: &std::path::Path, index: usize, strategy: &str, detectors: bool) -> Measurement {
    let output = Command::new(exe)
        .args([
            "--one",
            &index.to_string(),
            strategy,
            if detectors { "on" } else { "off" },
        ])
        .output()
        .expect("child runs");
    let fields: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let number = |i: usize| -> f64 { fields[i].parse().expect("a number") };
    Measurement {
        schedules: number(0),
        exhaustive: fields[1] == "true",
        outcomes: fields[2].clone(),
        seconds: number(3),
        steps: number(4),
        peak_kib: number(5),
        cpu: number(6),
    }
}

/// The fastest of [`REPEATS`] measurements with the detectors on, and of as many with them off.
fn fastest(exe: &std::path::Path, index: usize, strategy: &str) -> (Measurement, Measurement) {
    let mut on: Option<Measurement> = None;
    let mut off: Option<Measurement> = None;
    for _ in 0..REPEATS {
        for (detectors, best) in [(true, &mut on), (false, &mut off)] {
            let measured = child(exe, index, strategy, detectors);
            if best.as_ref().is_none_or(|b| measured.cpu < b.cpu) {
                *best = Some(measured);
            }
        }
    }
    (on.expect("measured"), off.expect("measured"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--one") {
        let index: usize = args[position + 1].parse().expect("index");
        let strategy = if args[position + 2] == "dfs" {
            Strategy::Dfs
        } else {
            Strategy::Dpor
        };
        measure(index, strategy, args[position + 3] == "on");
        return;
    }
    println!(
        "| scenario | strategy | schedules | outcomes | seconds | schedules/s | steps/s | peak MiB | CPU s | CPU s, no detectors | steps/s, no detectors | overhead |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let exe = std::env::current_exe().expect("own path");
    for (index, (name, _)) in scenarios().iter().enumerate() {
        for strategy in ["dfs", "dpor"] {
            let (on, off) = fastest(&exe, index, strategy);
            println!(
                "| {name} | {strategy} | {}{} | {} | {:.3} | {:.0} | {:.0} | {:.1} | {:.3} | {:.3} | {:.0} | {} |",
                on.schedules,
                if on.exhaustive { "" } else { " (capped)" },
                on.outcomes,
                on.seconds,
                on.schedules / on.seconds,
                on.steps / on.seconds,
                on.peak_kib / 1024.0,
                on.cpu,
                off.cpu,
                off.steps / off.seconds,
                if off.cpu >= MIN_CPU_SECONDS {
                    format!("{:.2}", on.cpu / off.cpu)
                } else {
                    "-".to_string()
                },
            );
        }
    }
}
