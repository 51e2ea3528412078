//! Runs every program in `tests/data/single/` (single-threaded, or threaded with output that no
//! schedule can change) under the VM and under `python3`, and checks that stdout agrees byte for
//! byte, that the unindented stderr lines (thread exception headers, `Traceback` lines, exception
//! summaries) agree, and that a program ending in an uncaught exception ends the same way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use weft_vm::{RunStatus, Vm, VmConfig};

/// What one run produced.
#[derive(Debug)]
struct Outcome {
    stdout: String,
    /// The unindented lines of stderr: `Exception in thread NAME:`, `Traceback ...:` and the
    /// exception summaries (frame and source lines are indented, and CPython's include its own
    /// `threading.py` frames, so they are not compared).
    stderr_summary: Vec<String>,
    /// The last line of stderr (the exception summary), if the main thread raised.
    exception: Option<String>,
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/single")
}

fn summary_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| !line.starts_with(' ') && !line.is_empty())
        .map(str::to_owned)
        .collect()
}

fn run_vm(path: &Path) -> Outcome {
    let source = std::fs::read_to_string(path).expect("readable test program");
    let file_name = path.file_name().unwrap().to_str().unwrap();
    let program = weft_lang::compile(file_name, &source)
        .unwrap_or_else(|diagnostics| panic!("{file_name} does not compile: {diagnostics:?}"));
    let mut vm = Vm::new(Arc::new(program), VmConfig::default());
    let mut enabled = Vec::new();
    while vm.status() == RunStatus::Running {
        vm.enabled_threads(&mut enabled);
        vm.step(enabled[0]);
    }
    assert_eq!(
        vm.status(),
        RunStatus::Completed,
        "{file_name} did not complete"
    );
    let exception = vm.main_exception().map(str::to_owned);
    if let Some(summary) = &exception {
        let last = vm.stderr().lines().last().unwrap_or_default();
        assert_eq!(
            last, summary,
            "{file_name}: stderr ends with the main exception"
        );
    }
    Outcome {
        stdout: vm.stdout().to_owned(),
        stderr_summary: summary_lines(vm.stderr()),
        exception,
    }
}

fn run_python(path: &Path) -> Outcome {
    let output = Command::new("python3")
        .arg(path.file_name().unwrap())
        .current_dir(path.parent().unwrap())
        .output()
        .expect("python3 must be installed to check agreement with CPython");
    let stderr = String::from_utf8_lossy(&output.stderr);
    Outcome {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr_summary: summary_lines(&stderr),
        exception: (!output.status.success())
            .then(|| stderr.lines().last().unwrap_or_default().to_owned()),
    }
}

#[test]
fn single_threaded_programs_agree_with_cpython() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("tests/data/single exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 20,
        "expected the whole test corpus, found {}",
        paths.len()
    );
    // python3 starts slowly: run it for every program at once.
    let python_outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .iter()
            .map(|path| scope.spawn(move || run_python(path)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    for (path, python) in paths.iter().zip(python_outcomes) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let vm = run_vm(path);
        if vm.stdout != python.stdout {
            failures.push(format!(
                "{name}: stdout differs\n--- weft\n{}\n--- python3\n{}",
                vm.stdout, python.stdout
            ));
        }
        if vm.stderr_summary != python.stderr_summary {
            failures.push(format!(
                "{name}: stderr differs\n--- weft\n{}\n--- python3\n{}",
                vm.stderr_summary.join("\n"),
                python.stderr_summary.join("\n")
            ));
        }
        if vm.exception != python.exception {
            failures.push(format!(
                "{name}: exception differs: weft {:?}, python3 {:?}",
                vm.exception, python.exception
            ));
        }
        let expects_error = name.starts_with("err_");
        if expects_error != python.exception.is_some() {
            failures.push(format!(
                "{name}: err_ programs (and only they) must end in an uncaught exception"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
