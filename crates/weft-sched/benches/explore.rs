//! The exploration benchmark: schedules executed by `dfs` and `dpor`, wall time, schedules/s,
//! visible steps/s and peak memory over a fixed set of generated scenarios.
//!
//! `cargo bench -p weft-sched --bench explore` prints a Markdown table. Each measurement runs in
//! a child process of this binary so that its peak resident memory (`VmHWM`) is its own. Every
//! row is measured twice, with the detectors (lost updates, lock order, data races) on and off
//! ([`ExploreConfig::detectors`]); `overhead` is the ratio of the two wall times.

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use weft_sched::{ExploreConfig, Strategy, explore};

/// A cap so that the largest DFS searches end in reasonable time; a capped search is marked.
const MAX_SCHEDULES: u64 = 200_000;

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

/// Child mode: explore one scenario with one strategy, detectors on or off, and print
/// `schedules outcomes seconds steps peak_kib` on one line.
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
    let report = explore(program, &config);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} {} {} {seconds} {} {}",
        report.schedules_executed,
        report.exhaustive,
        report.outcomes.len(),
        report.steps_executed,
        peak_memory_kib(),
    );
}

/// Runs one measurement in a child process; returns its printed fields.
fn child(exe: &std::path::Path, index: usize, strategy: &str, detectors: bool) -> Vec<String> {
    let output = Command::new(exe)
        .args([
            "--one",
            &index.to_string(),
            strategy,
            if detectors { "on" } else { "off" },
        ])
        .output()
        .expect("child runs");
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
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
        "| scenario | strategy | schedules | outcomes | seconds | schedules/s | steps/s | peak MiB | seconds, no detectors | steps/s, no detectors | overhead |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let exe = std::env::current_exe().expect("own path");
    for (index, (name, _)) in scenarios().iter().enumerate() {
        for strategy in ["dfs", "dpor"] {
            let on = child(&exe, index, strategy, true);
            let off = child(&exe, index, strategy, false);
            let number =
                |fields: &[String], i: usize| -> f64 { fields[i].parse().expect("a number") };
            let (schedules, seconds, steps) = (number(&on, 0), number(&on, 3), number(&on, 4));
            let (off_seconds, off_steps) = (number(&off, 3), number(&off, 4));
            println!(
                "| {name} | {strategy} | {schedules}{} | {} | {seconds:.3} | {:.0} | {:.0} | {:.1} | {off_seconds:.3} | {:.0} | {:.2} |",
                if on[1] == "true" { "" } else { " (capped)" },
                on[2],
                schedules / seconds,
                steps / seconds,
                number(&on, 5) / 1024.0,
                off_steps / off_seconds,
                seconds / off_seconds,
            );
        }
    }
}
