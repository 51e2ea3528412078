//! The CPython oracle (`tests/oracle/oracle.py`, described in docs/ci.md): every outcome real
//! `python3` runs of a scenario show must be among the outcomes weft reports for it. Runs the
//! harness over every scenario, and over scratch scenarios that show it fails when weft misses
//! an outcome, that masks apply, and that a hang is compared with weft's deadlocks.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root: the harness runs weft from there.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the oracle harness on `paths` with `extra` options: (exit code, stdout and stderr).
fn oracle(paths: &[&str], extra: &[&str]) -> (i32, String) {
    let output = Command::new("python3")
        .arg("-B")
        .arg("tests/oracle/oracle.py")
        .args(["--weft", env!("CARGO_BIN_EXE_weft")])
        .args(extra)
        .args(paths)
        .current_dir(root())
        .output()
        .expect("python3 runs the oracle harness");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().expect("the harness exits normally"),
        text,
    )
}

/// Every distinct stdout (and ending) CPython produced for every scenario is a weft outcome.
#[test]
fn cpython_outcomes_are_weft_outcomes() {
    let (code, text) = oracle(&["scenarios"], &[]);
    assert_eq!(
        code, 0,
        "CPython showed outcomes weft did not predict:\n{text}"
    );
    let summary = text.lines().last().expect("a summary line");
    assert!(summary.contains(" passed, 0 failed"), "{summary}");
}

/// The check can fail: an outcome missing from a bounded search, an unmasked clock. A mask makes
/// the clock comparable; a CPython hang is compared, partial stdout included, with weft's
/// deadlocked outcome.
#[test]
fn the_oracle_fails_when_weft_misses_an_outcome() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("weft-oracle");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let write = |name: &str, text: &str| {
        let path = scratch.join(name);
        std::fs::write(&path, text).expect("write scenario");
        path.to_str().expect("utf-8 path").to_string()
    };
    let bounded = write(
        "bounded.py",
        "print(\"hello\")\n# oracle-weft: explore --max-steps 1\n",
    );
    let clock = write("clock.py", "import time\nprint(time.time())\n");
    let masked = write(
        "clock_masked.py",
        "import time\n# oracle-mask: \\d+(\\.\\d+)?(e[-+]?\\d+)?\nprint(time.time())\n",
    );
    let hang = write(
        "hang.py",
        "import threading\nlock = threading.Lock()\nlock.acquire()\nprint(\"before\")\nlock.acquire()\nprint(\"never\")\n",
    );

    let (code, text) = oracle(&[&bounded], &["--runs", "2"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAILED"), "{text}");
    assert!(
        text.contains("CPython outcome weft did not find (2 of 2 runs)"),
        "{text}"
    );
    assert!(
        text.contains("      | hello"),
        "CPython's stdout is shown:\n{text}"
    );
    assert!(
        text.contains("ending: step_limit"),
        "weft's closest outcome is shown:\n{text}"
    );
    assert!(
        text.contains("weft's search was not exhaustive: max_steps"),
        "{text}"
    );

    let (code, text) = oracle(&[&clock], &["--runs", "2"]);
    assert_eq!(code, 1, "real time is not weft's virtual clock:\n{text}");

    let (code, text) = oracle(&[&masked, &hang], &["--runs", "2", "--show"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("      | <masked>"), "{text}");
    assert!(
        text.contains("ending: deadlocked") && text.contains("      | before"),
        "the hang is detected and its partial stdout kept:\n{text}"
    );
    assert!(text.contains("2 passed, 0 failed"), "{text}");
}
