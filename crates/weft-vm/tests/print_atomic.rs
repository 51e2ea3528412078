//! `VmConfig::print_atomic`: one `print(...)` call is one visible write of its whole text
//! (after a read step for each shared list or dict it formats), so no two threads' lines can
//! interleave; the text printed is the same as in the default, CPython-faithful mode.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use weft_vm::{Location, Op, Program, RunStatus, Vm, VmConfig};

fn compile(source: &str) -> Arc<Program> {
    let program = weft_lang::compile("print.py", source)
        .unwrap_or_else(|diagnostics| panic!("does not compile: {diagnostics:?}"));
    Arc::new(program)
}

fn config(print_atomic: bool) -> VmConfig {
    VmConfig {
        print_atomic,
        record_values: true,
        ..VmConfig::default()
    }
}

/// Every complete schedule's stdout, and how many schedules there are.
fn explore(vm: &Vm, count: &mut u64, outputs: &mut BTreeSet<String>) {
    if vm.status() != RunStatus::Running {
        *count += 1;
        outputs.insert(vm.stdout().to_string());
        return;
    }
    let mut enabled = Vec::new();
    vm.enabled_threads(&mut enabled);
    for thread in enabled {
        let mut next = vm.clone();
        next.step(thread);
        explore(&next, count, outputs);
    }
}

/// The visible ops of a run that always steps the lowest enabled thread, with their details.
fn ops(source: &str, print_atomic: bool) -> Vec<(Op, Option<String>)> {
    let mut vm = Vm::new(compile(source), config(print_atomic));
    let mut enabled = Vec::new();
    let mut ops = Vec::new();
    while vm.status() == RunStatus::Running {
        vm.enabled_threads(&mut enabled);
        let event = vm.step(enabled[0]);
        ops.push((event.op, event.detail));
    }
    assert_eq!(vm.status(), RunStatus::Completed);
    ops
}

/// Two workers printing; `main` keeps everything in locals, so the prints are the only steps
/// once the workers run.
fn printers(body: &str) -> String {
    format!(
        "\
def main():
    import threading

    def worker(name):
{body}
    t1 = threading.Thread(target=worker, args=('A',))
    t2 = threading.Thread(target=worker, args=('B',))
    t1.start()
    t2.start()
    t1.join()
    t2.join()

main()
"
    )
}

#[test]
fn atomic_prints_never_interleave() {
    let source =
        printers("        print(name, 'says', 1)\n        print(name, 'done', sep=': ')\n");
    let whole_lines = ["A says 1", "A: done", "B says 1", "B: done"];
    let vm = Vm::new(compile(&source), config(true));
    let (mut count, mut outputs) = (0, BTreeSet::new());
    explore(&vm, &mut count, &mut outputs);
    // One step per print: the schedules are the interleavings of two sequences of two steps,
    // and each one prints whole lines in a different order.
    assert_eq!(count, 6);
    let expected: BTreeSet<String> = [
        [0, 1, 2, 3],
        [0, 2, 1, 3],
        [0, 2, 3, 1],
        [2, 0, 1, 3],
        [2, 0, 3, 1],
        [2, 3, 0, 1],
    ]
    .iter()
    .map(|order| {
        order
            .iter()
            .map(|&i| format!("{}\n", whole_lines[i]))
            .collect()
    })
    .collect();
    assert_eq!(outputs, expected);
}

#[test]
fn default_prints_interleave_pieces() {
    let source = printers("        print(name, 1)\n");
    let mut counts = Vec::new();
    for print_atomic in [true, false] {
        let vm = Vm::new(compile(&source), config(print_atomic));
        let (mut count, mut outputs) = (0, BTreeSet::new());
        explore(&vm, &mut count, &mut outputs);
        counts.push(count);
        let interleaved = outputs
            .iter()
            .any(|output| output.lines().any(|line| !["A 1", "B 1"].contains(&line)));
        assert_eq!(interleaved, !print_atomic, "{outputs:?}");
    }
    // Atomic: one step per worker. Default: four pieces per worker, 8 choose 4 interleavings.
    assert_eq!(counts, [2, 70]);
}

#[test]
fn one_print_is_one_write() {
    let source = "print('a', 2, None, sep='-', end='!\\n')\nprint()\n";
    let writes = |print_atomic| -> Vec<Option<String>> {
        ops(source, print_atomic)
            .into_iter()
            .filter(|(op, _)| *op == Op::Write(Location::Stdout))
            .map(|(_, detail)| detail)
            .collect()
    };
    assert_eq!(
        writes(true),
        [
            Some("'a-2-None!\\n'".to_string()),
            Some("'\\n'".to_string())
        ]
    );
    assert_eq!(writes(false).len(), 7);
}

#[test]
fn shared_containers_are_read_in_steps_of_their_own() {
    let source = "\
import threading
shared = [1, 2]
table = {'k': shared}

def worker():
    print('list', shared, 'dict', table)

t = threading.Thread(target=worker)
t.start()
t.join()
";
    let ops: Vec<Op> = ops(source, true)
        .into_iter()
        .map(|(op, _)| op)
        .skip_while(|op| !matches!(op, Op::Read(Location::Items(_))))
        .collect();
    assert!(
        matches!(
            ops[..],
            [
                Op::Read(Location::Items(_)),
                Op::Read(Location::Items(_)),
                Op::Write(Location::Stdout),
                ..
            ]
        ),
        "{ops:?}"
    );
}

/// Runs a program to the end under the lowest-thread schedule: stdout and stderr.
fn output(source: &str, print_atomic: bool) -> (String, String) {
    let mut vm = Vm::new(compile(source), config(print_atomic));
    let mut enabled = Vec::new();
    while vm.status() == RunStatus::Running {
        vm.enabled_threads(&mut enabled);
        vm.step(enabled[0]);
    }
    (vm.stdout().to_string(), vm.stderr().to_string())
}

#[test]
fn atomic_prints_print_the_same_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/single");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let source = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            output(&source, true),
            output(&source, false),
            "{}",
            path.display()
        );
    }
}
