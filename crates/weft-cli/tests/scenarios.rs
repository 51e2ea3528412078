//! Boundary tests of the `weft` binary over every scenario under `scenarios/`: `python3` agrees
//! that each is valid Python and ends as documented; `weft run` output is snapshotted; every
//! printed schedule replays to the identical run; the bytecode of a few scenarios is pinned.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root: tests run weft from there so paths in output are relative.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every scenario file, relative to the root, sorted.
fn scenarios() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("scenario directory is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "py") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join("scenarios"), &mut paths);
    let mut names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.strip_prefix(root())
                .expect("under the root")
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no scenarios found");
    names
}

/// How a scenario is documented to end under python3.
#[derive(Debug, PartialEq)]
enum Expect {
    Completes,
    Exception,
    Deadlock,
    /// Completes under most schedules, deadlocks under some (a lock-order inversion).
    MaybeDeadlock,
}

fn expectation(scenario: &str) -> Expect {
    let source = std::fs::read_to_string(root().join(scenario)).expect("scenario is readable");
    match source
        .lines()
        .find_map(|line| line.strip_prefix("# weft-expect: "))
    {
        None => Expect::Completes,
        Some("exception") => Expect::Exception,
        Some("deadlock") => Expect::Deadlock,
        Some("maybe-deadlock") => Expect::MaybeDeadlock,
        Some(other) => panic!("{scenario}: unknown weft-expect `{other}`"),
    }
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn weft(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("weft runs");
    Output {
        code: output.status.code().expect("weft exits normally"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

#[test]
fn python3_compiles_and_runs_every_scenario_as_documented() {
    let mut failures = Vec::new();
    let mut children = Vec::new();
    for scenario in scenarios() {
        let compiled = Command::new("python3")
            .args([
                "-B",
                "-c",
                "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')",
            ])
            .arg(&scenario)
            .current_dir(root())
            .status()
            .expect("python3 runs");
        if !compiled.success() {
            failures.push(format!("{scenario}: python3 cannot compile it"));
            continue;
        }
        let child = Command::new("python3")
            .arg("-B")
            .arg(&scenario)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 starts");
        children.push((scenario, child));
    }
    // A documented deadlock must still be hanging after this long; everything else must end.
    let hang_grace = Duration::from_secs(3);
    let started = Instant::now();
    for (scenario, mut child) in children {
        let expect = expectation(&scenario);
        let limit = match expect {
            Expect::Deadlock | Expect::MaybeDeadlock => hang_grace,
            _ => Duration::from_secs(60),
        };
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for python3") {
                break Some(status);
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let observed = match status {
            None => Expect::Deadlock,
            Some(status) if status.success() => Expect::Completes,
            Some(status) if status.code() == Some(1) => Expect::Exception,
            Some(status) => {
                failures.push(format!("{scenario}: python3 exited with {status}"));
                continue;
            }
        };
        let agrees = observed == expect
            || (expect == Expect::MaybeDeadlock
                && matches!(observed, Expect::Completes | Expect::Deadlock));
        if !agrees {
            failures.push(format!(
                "{scenario}: documented {expect:?}, python3 showed {observed:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn render(args: &[&str], output: &Output) -> String {
    format!(
        "## Command\nweft {}\n\n## Exit code\n{}\n\n## Stdout\n{}\n## Stderr\n{}",
        args.join(" "),
        output.code,
        output.stdout,
        output.stderr
    )
}

#[test]
fn run_output_of_every_scenario() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots/run"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for scenario in scenarios() {
            let name = scenario
                .trim_start_matches("scenarios/")
                .trim_end_matches(".py")
                .replace('/', "__");
            for seed in ["0", "7"] {
                let args = ["run", scenario.as_str(), "--seed", seed];
                let output = weft(&args);
                assert!(
                    output.code == 0 || output.code == 1,
                    "{scenario}: weft run failed:\n{}",
                    output.stderr
                );
                insta::assert_snapshot!(format!("{name}__seed{seed}"), render(&args, &output));
            }
        }
    });
}

#[test]
fn every_run_replays_to_the_same_output() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weft-replay");
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    for scenario in scenarios() {
        // Long runs (the full-size Counter) are checked with fewer seeds and no trace.
        let long = scenario.contains("100000");
        for seed in 0..if long { 2 } else { 8 } {
            let seed = seed.to_string();
            let schedule_file = scratch.join("schedule.txt");
            let schedule_path = schedule_file.to_str().expect("utf-8 path");
            let run = weft(&[
                "run",
                &scenario,
                "--seed",
                &seed,
                "--write-schedule",
                schedule_path,
            ]);
            let schedule = std::fs::read_to_string(&schedule_file).expect("schedule written");
            let replay = weft(&["replay", &scenario, "--schedule-file", schedule_path]);
            assert_eq!(
                replay.code, run.code,
                "{scenario} seed {seed}: {}",
                replay.stderr
            );
            assert_eq!(replay.stdout, run.stdout, "{scenario} seed {seed}");
            let without_schedule = |text: &str| -> String {
                text.lines()
                    .filter(|l| {
                        !l.starts_with("weft: schedule") && !l.starts_with("weft: replay with")
                    })
                    .map(|l| format!("{l}\n"))
                    .collect()
            };
            assert_eq!(
                without_schedule(&replay.stderr),
                without_schedule(&run.stderr.replace(&format!(" (seed {seed})"), "")),
                "{scenario} seed {seed}"
            );
            let steps = schedule
                .trim()
                .parse::<weft_sched::Schedule>()
                .expect("written schedules parse")
                .len();
            if long {
                continue;
            }
            let inline = weft(&[
                "replay",
                &scenario,
                "--schedule",
                schedule.trim(),
                "--trace",
            ]);
            assert_eq!(
                inline.stdout, run.stdout,
                "{scenario} seed {seed}: --trace changes stdout"
            );
            let trace_rows = inline
                .stderr
                .lines()
                .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
                .count();
            assert!(
                trace_rows >= steps,
                "{scenario} seed {seed}: {trace_rows} trace rows for {steps} steps"
            );
        }
    }
}

#[test]
fn bytecode_of_scenarios() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots/disasm"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for scenario in [
            "scenarios/seeds/bank_account.py",
            "scenarios/seeds/two_lock_deadlock.py",
        ] {
            let output = weft(&["disasm", scenario]);
            assert_eq!(output.code, 0, "{}", output.stderr);
            let name = scenario
                .trim_start_matches("scenarios/seeds/")
                .trim_end_matches(".py");
            insta::assert_snapshot!(name, output.stdout);
        }
    });
}

#[test]
fn replay_errors_say_what_went_wrong() {
    let scenario = "scenarios/seeds/two_lock_deadlock.py";
    let cases: &[&[&str]] = &[
        &["replay", scenario, "--schedule", "0.5"],
        &["replay", scenario, "--schedule", "0.zz"],
        &["replay", scenario, "--schedule", "0x500"],
        &["replay", scenario, "--schedule", "0"],
        &["run", "scenarios/does_not_exist.py"],
    ];
    let mut out = String::new();
    for args in cases {
        let output = weft(args);
        assert_eq!(
            output.code, 2,
            "{args:?} should be a usage error: {}",
            output.stderr
        );
        out.push_str(&render(args, &output));
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn explore_reports_are_deterministic() {
    for scenario in scenarios() {
        for format in ["text", "json"] {
            let args = ["explore", scenario.as_str(), "--format", format];
            let first = weft(&args);
            assert!(
                first.code == 0 || first.code == 1,
                "{scenario}: weft explore failed:\n{}",
                first.stderr
            );
            let second = weft(&args);
            assert_eq!(
                first.stdout, second.stdout,
                "{scenario}: {format} report differs between runs"
            );
            if format == "json" {
                let _: serde_json::Value =
                    serde_json::from_str(&first.stdout).expect("explore --format json is JSON");
            }
        }
    }
}

/// weft's own CI: every scenario's explore report matches its committed snapshot.
#[test]
fn weft_check_passes_on_the_scenarios() {
    let output = weft(&["check", "scenarios"]);
    assert_eq!(
        output.code, 0,
        "weft check scenarios failed:\n{}{}",
        output.stdout, output.stderr
    );
    let summary = output.stdout.lines().last().expect("a summary line");
    assert!(summary.ends_with(" passed, 0 failed"), "{summary}");
}

/// `weft check` on a scratch copy: a missing snapshot, --update, a pass, a change that makes a
/// new outcome possible, an orphan snapshot.
#[test]
fn weft_check_reports_changes_with_a_diff() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weft-check");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("cases")).expect("scratch dir");
    let original = std::fs::read_to_string(root().join("scenarios/seeds/fake_database_locked.py"))
        .expect("scenario");
    let scenario = scratch.join("cases/db.py");
    std::fs::write(
        &scenario,
        format!("# weft: --observe database.value\n{original}"),
    )
    .expect("write");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(args)
            .current_dir(&scratch)
            .output()
            .expect("weft runs");
        (
            output.status.code().expect("exit code"),
            String::from_utf8(output.stdout).expect("utf-8"),
        )
    };
    let mut transcript = String::new();
    let mut step = |title: &str, args: &[&str], expected_code: i32| {
        let (code, stdout) = run(args);
        assert_eq!(code, expected_code, "{title}:\n{stdout}");
        transcript.push_str(&format!(
            "## {title}: weft {}\nexit {code}\n{stdout}\n",
            args.join(" ")
        ));
    };
    step("missing snapshot", &["check", "cases"], 1);
    step("create", &["check", "cases", "--update"], 0);
    step("unchanged", &["check", "cases"], 0);
    let unlocked = std::fs::read_to_string(&scenario)
        .expect("read")
        .replace("        with self._lock:\n            local_copy = self.value\n            local_copy += 1\n            time.sleep(0.01)\n            self.value = local_copy\n",
                 "        local_copy = self.value\n        local_copy += 1\n        time.sleep(0.01)\n        self.value = local_copy\n");
    assert_ne!(
        unlocked,
        std::fs::read_to_string(&scenario).expect("read"),
        "the edit applies"
    );
    std::fs::write(&scenario, unlocked).expect("write");
    step("without the lock", &["check", "cases"], 1);
    std::fs::remove_file(&scenario).expect("remove");
    std::fs::write(scratch.join("cases/other.py"), "print('hi')\n").expect("write");
    step("orphan", &["check", "cases"], 1);
    step("orphan removed", &["check", "cases", "--update"], 0);
    insta::assert_snapshot!(transcript);
}

// Whether every outcome CPython shows is among weft's: the CPython oracle, tests/oracle.rs.

#[test]
fn explore_with_observers_and_atomic_print() {
    let cases: &[&[&str]] = &[
        &[
            "explore",
            "scenarios/seeds/bank_account.py",
            "--observe",
            "account.balance",
            "--print",
            "atomic",
        ],
        &[
            "explore",
            "scenarios/seeds/counter.py",
            "--observe",
            "counter.count",
            "--observe",
            "len(threads)",
            "--strategy",
            "dpor",
        ],
        &[
            "explore",
            "scenarios/seeds/bank_account.py",
            "--observe",
            "balance +",
        ],
        &[
            "run",
            "scenarios/seeds/bank_account.py",
            "--observe",
            "account.balance",
            "--seed",
            "3",
        ],
    ];
    let mut out = String::new();
    for args in cases {
        let output = weft(args);
        out.push_str(&render(args, &output));
        out.push('\n');
    }
    insta::assert_snapshot!(out);
    // Every replay command the observed report prints reproduces its outcome's value.
    let report = weft(cases[0]);
    for line in report.stdout.lines() {
        if let Some(command) = line.trim().strip_prefix("replay: weft ") {
            let args: Vec<&str> = command.split(' ').collect();
            let replay = weft(&args);
            // 1 when the replayed run loses an update (a finding), 0 otherwise.
            assert!(
                replay.code == 0 || replay.code == 1,
                "{command}: {}",
                replay.stderr
            );
            assert!(
                replay.stderr.contains("weft: observed account.balance = "),
                "{}",
                replay.stderr
            );
        }
    }
}

#[test]
fn random_campaigns_print_seeds_that_reproduce() {
    let cases: &[&[&str]] = &[
        &[
            "random",
            "scenarios/seeds/two_lock_deadlock.py",
            "--runs",
            "40",
            "--seed",
            "1",
        ],
        &[
            "random",
            "scenarios/seeds/philosophers.py",
            "--pct-depth",
            "2",
            "--runs",
            "40",
            "--seed",
            "3",
            "--print",
            "atomic",
        ],
        &[
            "random",
            "scenarios/seeds/counter_5x100000.py",
            "--runs",
            "2",
            "--seed",
            "1",
            "--max-outcomes",
            "0",
        ],
    ];
    let mut transcript = String::new();
    for args in cases {
        let output = weft(args);
        assert!(
            output.code == 0 || output.code == 1,
            "{args:?}: {}",
            output.stderr
        );
        transcript.push_str(&format!(
            "## weft {}\nexit {}\n{}\n",
            args.join(" "),
            output.code,
            output.stdout
        ));
        // Every printed reproduction command gives the outcome or finding it was printed for.
        for line in output.stdout.lines() {
            let Some((_, command)) = line.split_once(": weft run ") else {
                continue;
            };
            let args: Vec<&str> = command.split(' ').collect();
            let rerun = weft(&[&["run"], args.as_slice()].concat());
            assert!(
                rerun.code == 0 || rerun.code == 1,
                "{command}: {}",
                rerun.stderr
            );
        }
        for line in output.stdout.lines() {
            let Some((_, command)) = line.split_once(": weft replay ") else {
                continue;
            };
            let args: Vec<&str> = command.split(' ').collect();
            let replayed = weft(&[&["replay"], args.as_slice()].concat());
            assert_eq!(
                replayed.code, 1,
                "a shrunk finding replays to a finding: {command}"
            );
        }
    }
    // The full-size Counter loses updates under random schedules, and the seed printed with an
    // outcome reproduces exactly that count.
    let counter = weft(cases[2]);
    let outcome = counter
        .stdout
        .lines()
        .position(|l| l.starts_with("outcome 1:"))
        .expect("an outcome");
    let lines: Vec<&str> = counter.stdout.lines().collect();
    let count_line = lines[outcome + 1];
    assert!(
        count_line.contains("count = ") && !count_line.contains("500,000"),
        "{count_line}"
    );
    let command = lines[outcome + 2]
        .split_once(": weft run ")
        .expect("a command")
        .1;
    let args: Vec<&str> = command.split(' ').collect();
    let rerun = weft(&[&["run"], args.as_slice()].concat());
    assert_eq!(format!("    | {}", rerun.stdout.trim_end()), count_line);
    insta::assert_snapshot!(transcript);
}

#[test]
fn wait_for_graph_in_dot() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wait-for.dot");
    let path_text = path.to_str().expect("utf-8 path");
    let run = weft(&[
        "replay",
        "scenarios/seeds/two_lock_deadlock.py",
        "--schedule",
        "0x16.1.2.2.1x6.2x5",
        "--graph-dot",
        path_text,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(std::fs::read_to_string(&path).expect("dot written"));
    let completed = weft(&[
        "run",
        "scenarios/seeds/rlock_twice.py",
        "--graph-dot",
        path_text,
    ]);
    assert_eq!(
        completed.code, 2,
        "no deadlock, no graph: {}",
        completed.stderr
    );
}

/// The racy read-modify-writes of the notes lose updates; their locked twins never do.
#[test]
fn lost_updates_in_races_and_none_under_a_lock() {
    let lost = |scenario: &str| -> usize {
        let output = weft(&["explore", scenario, "--format", "json"]);
        let parsed: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
        parsed["lost_updates"]
            .as_array()
            .expect("lost_updates")
            .len()
    };
    for (racy, locked) in [
        (
            "scenarios/seeds/bank_account.py",
            "scenarios/seeds/bank_account_locked.py",
        ),
        (
            "scenarios/seeds/fake_database.py",
            "scenarios/seeds/fake_database_locked.py",
        ),
    ] {
        assert!(lost(racy) >= 1, "{racy} loses updates");
        assert_eq!(lost(locked), 0, "{locked} is protected by its lock");
    }
    assert!(lost("scenarios/seeds/counter.py") >= 1);
    for clean in [
        "scenarios/seeds/rlock_twice.py",
        "scenarios/seeds/square_cube.py",
    ] {
        assert_eq!(lost(clean), 0, "{clean}");
    }
}

/// A lock-order inversion is a warning even when no explored schedule deadlocks (preemption
/// bound 0); `--deny warnings` makes it fail. Consistent lock order and RLock re-entry are clean.
#[test]
fn lock_order_cycles_are_warnings() {
    let scenario = "scenarios/seeds/two_lock_deadlock.py";
    let bounded = weft(&[
        "explore",
        scenario,
        "--preemption-bound",
        "0",
        "--format",
        "json",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&bounded.stdout).expect("JSON");
    assert_eq!(parsed["deadlocks"].as_array().expect("deadlocks").len(), 0);
    let cycles = parsed["lock_order_cycles"].as_array().expect("cycles");
    assert_eq!(cycles.len(), 1, "{}", bounded.stdout);
    assert_eq!(bounded.code, 0, "a warning alone does not fail");
    let denied = weft(&[
        "explore",
        scenario,
        "--preemption-bound",
        "0",
        "--deny",
        "warnings",
    ]);
    assert_eq!(denied.code, 1);
    insta::assert_snapshot!(
        denied
            .stdout
            .lines()
            .filter(|l| l.starts_with("potential deadlock") || l.starts_with("findings:"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for clean in [
        "scenarios/seeds/bank_account_locked.py",
        "scenarios/seeds/rlock_twice.py",
        "scenarios/seeds/fake_database_locked.py",
    ] {
        let output = weft(&["explore", clean, "--format", "json"]);
        let parsed: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
        assert_eq!(
            parsed["lock_order_cycles"]
                .as_array()
                .expect("cycles")
                .len(),
            0,
            "{clean}"
        );
    }
}
