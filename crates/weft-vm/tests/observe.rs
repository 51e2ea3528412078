//! Observers (`weft explore --observe EXPR`): expressions evaluated by `Vm::observe` against the
//! state a run ended in. Inputs are `tests/data/observe/*.py`, whose `# observe: EXPR` lines
//! declare the observers; snapshots show them after two fixed schedules, and the files that
//! CPython can run to the end are checked against `python3` evaluating the same expressions.

use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use weft_vm::{Program, RunStatus, Vm, VmConfig};

/// Steps after which a run is cut off.
const STEP_LIMIT: usize = 200;

/// A small instruction limit, so an observer that never finishes is cut off quickly.
const MAX_LOCAL_INSTRUCTIONS: u64 = 50_000;

fn config() -> VmConfig {
    VmConfig {
        max_local_instructions: MAX_LOCAL_INSTRUCTIONS,
        ..VmConfig::default()
    }
}

/// The observers a file declares, one per `# observe: EXPR` line.
fn declared_observers(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| line.strip_prefix("# observe: "))
        .map(str::to_string)
        .collect()
}

fn compile(file_name: &str, source: &str, observers: &[String]) -> Arc<Program> {
    let program = weft_lang::compile_with_observers(file_name, source, observers)
        .unwrap_or_else(|diagnostics| panic!("{file_name} does not compile: {diagnostics:?}"));
    Arc::new(program)
}

/// Runs to the end, always stepping the lowest (or highest) enabled thread.
fn run(program: &Arc<Program>, highest: bool) -> Vm {
    let mut vm = Vm::new(program.clone(), config());
    let mut enabled = Vec::new();
    let mut steps = 0;
    while vm.status() == RunStatus::Running && steps < STEP_LIMIT {
        vm.enabled_threads(&mut enabled);
        let thread = if highest {
            *enabled.last().expect("a running VM has an enabled thread")
        } else {
            enabled[0]
        };
        vm.step(thread);
        steps += 1;
    }
    vm
}

/// The single caller of `Vm::observe` for snapshots: the run's end and each observer's value.
fn check(program: &Arc<Program>, highest: bool) -> String {
    let vm = run(program, highest);
    let mut out = format!("status: {:?} after {} steps\n", vm.status(), vm.steps());
    let _ = write!(out, "stdout: {:?}\n\n", vm.stdout());
    for (observer, value) in program.observers.iter().zip(vm.observe()) {
        let _ = writeln!(out, "{} => {value}", observer.source);
    }
    out
}

#[test]
fn observers_after_fixed_schedules() {
    insta::glob!("data/observe/*.py", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let file_name = path.file_name().unwrap().to_str().unwrap();
        let program = compile(file_name, &source, &declared_observers(&source));
        let mut report = format!("# {file_name}\n\n## Lowest enabled thread first\n\n");
        report.push_str(&check(&program, false));
        report.push_str("\n## Highest enabled thread first\n\n");
        report.push_str(&check(&program, true));
        insta::assert_snapshot!(report);
    });
}

/// What `python3` says each observer is, evaluated in order after the program ran.
fn python_observations(path: &Path, observers: &[String]) -> Option<Vec<String>> {
    let epilogue = [
        "",
        "import sys as _sys",
        "for _expr in _sys.argv[1:]:",
        "    try:",
        "        _text = repr(eval(_expr))",
        "    except Exception as _error:",
        "        _text = '<raises ' + type(_error).__name__ + ': ' + str(_error) + '>'",
        "    print('OBSERVE ' + _text)",
        "",
    ]
    .join("\n");
    let source = std::fs::read_to_string(path).unwrap() + &epilogue;
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(source)
        .args(observers)
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "python3 fails on {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| line.strip_prefix("OBSERVE "))
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn observers_agree_with_python() {
    let mut paths: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/observe"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
    paths.sort();
    for path in paths {
        let source = std::fs::read_to_string(&path).unwrap();
        if source.contains("# python: no") {
            continue;
        }
        let observers = declared_observers(&source);
        let Some(expected) = python_observations(&path, &observers) else {
            println!("note: python3 is not available; skipping");
            return;
        };
        let program = compile("agree.py", &source, &observers);
        let got = run(&program, false).observe();
        assert_eq!(got.len(), expected.len());
        for ((observer, got), expected) in observers.iter().zip(&got).zip(&expected) {
            if expected.contains(" at 0x") {
                // An object's address: weft's is made up.
                continue;
            }
            assert_eq!(got, expected, "{}: observer {observer}", path.display());
        }
    }
}

#[test]
fn observers_on_a_finished_program() {
    let source = "\
import threading
lock = threading.Lock()
items = []
class Account:
    def __init__(self):
        self.balance = 0
account = Account()
def work():
    with lock:
        account.balance += 10
        items.append(account.balance)
workers = [threading.Thread(target=work), threading.Thread(target=work)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
";
    let observers: Vec<String> = [
        "account.balance",
        "len(items)",
        "items",
        "undefined + 1",
        "lock.locked()",
    ]
    .map(str::to_string)
    .to_vec();
    let program = compile("finished.py", source, &observers);
    let vm = run(&program, true);
    assert_eq!(vm.status(), RunStatus::Completed);
    assert_eq!(
        vm.observe(),
        [
            "20",
            "2",
            "[10, 20]",
            "<raises NameError: name 'undefined' is not defined>",
            "False",
        ]
    );
}

/// Everything a caller can see of a VM.
fn visible_state(vm: &Vm) -> String {
    let mut out = format!(
        "{:?} {} {:?} {:?} {:?}\n",
        vm.status(),
        vm.steps(),
        vm.stdout(),
        vm.stderr(),
        vm.main_exception()
    );
    let mut enabled = Vec::new();
    vm.enabled_threads(&mut enabled);
    let _ = writeln!(out, "enabled {enabled:?}");
    for index in 0..vm.n_threads() {
        let thread = weft_vm::ThreadId(index as u32);
        let _ = writeln!(
            out,
            "{thread} {} {:?} {:?} {:?}",
            vm.thread_name(thread),
            vm.thread_state(thread),
            vm.pending_op(thread),
            vm.pending_line(thread)
        );
    }
    out
}

#[test]
fn observe_leaves_the_vm_unchanged() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/observe/side_effects.py");
    let source = std::fs::read_to_string(&path).unwrap();
    let program = compile("side_effects.py", &source, &declared_observers(&source));
    let vm = run(&program, false);
    let before = visible_state(&vm);
    let first = vm.observe();
    assert_eq!(visible_state(&vm), before);
    // The observers mutate state (`items.pop()`), on the scratch copy only.
    assert_eq!(vm.observe(), first);

    // Mid-run too: observing between steps changes nothing about the rest of the run.
    let bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/observe/bank.py");
    let source = std::fs::read_to_string(&bank).unwrap();
    let program = compile("bank.py", &source, &declared_observers(&source));
    let mut observed = Vm::new(program.clone(), config());
    let mut untouched = observed.clone();
    let mut enabled = Vec::new();
    while observed.status() == RunStatus::Running {
        let _ = observed.observe();
        assert_eq!(visible_state(&observed), visible_state(&untouched));
        observed.enabled_threads(&mut enabled);
        let thread = *enabled.last().unwrap();
        assert_eq!(observed.step(thread), untouched.step(thread));
    }
    assert_eq!(visible_state(&observed), visible_state(&untouched));
    assert_eq!(observed.observe(), untouched.observe());
}

#[test]
fn observe_without_observers_is_empty() {
    let program = compile("plain.py", "x = 1\n", &[]);
    let vm = run(&program, false);
    assert!(vm.observe().is_empty());
}
