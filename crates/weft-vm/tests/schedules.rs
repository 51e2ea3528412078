//! Snapshots of threaded programs run under two fixed schedules (always the lowest enabled
//! thread, always the highest), one step per line: this pins the visible-operation model.

use std::fmt::Write;
use std::sync::Arc;

use weft_vm::{RunStatus, ThreadId, ThreadState, Vm, VmConfig};

/// Steps after which a run is cut off (the daemon ticker never ends on its own).
const STEP_LIMIT: usize = 60;

/// Which enabled thread a fixed schedule picks.
#[derive(Clone, Copy)]
enum Pick {
    Lowest,
    Highest,
}

fn run(program: &Arc<weft_vm::Program>, pick: Pick) -> String {
    let config = VmConfig {
        record_values: true,
        ..VmConfig::default()
    };
    let mut vm = Vm::new(program.clone(), config);
    let mut out = String::from("step | thread | line | op | detail\n");
    let mut enabled = Vec::new();
    let mut steps = 0;
    while vm.status() == RunStatus::Running && steps < STEP_LIMIT {
        vm.enabled_threads(&mut enabled);
        let thread = match pick {
            Pick::Lowest => enabled[0],
            Pick::Highest => *enabled.last().unwrap(),
        };
        let event = vm.step(thread);
        steps += 1;
        let _ = writeln!(
            out,
            "{steps} | {} | {} | {} | {}",
            event.thread,
            event.line,
            vm.describe_op(&event.op),
            event.detail.unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "\nstatus: {:?} after {} steps",
        vm.status(),
        vm.steps()
    );
    for index in 0..vm.n_threads() {
        let thread = ThreadId(index as u32);
        let state = match vm.thread_state(thread) {
            ThreadState::Blocked(reason) => format!("blocked: {reason:?}"),
            other => format!("{other:?}"),
        };
        let pending = vm
            .pending_op(thread)
            .map(|op| {
                format!(
                    ", pending {} at line {}",
                    vm.describe_op(&op),
                    vm.pending_line(thread).unwrap_or(0)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "thread {thread} ({}): {state}{pending}",
            vm.thread_name(thread)
        );
    }
    let _ = write!(out, "\n### stdout\n```\n{}```\n", vm.stdout());
    if !vm.stderr().is_empty() {
        let _ = write!(out, "\n### stderr\n```\n{}```\n", vm.stderr());
    }
    if let Some(exception) = vm.main_exception() {
        let _ = writeln!(out, "\nmain exception: {exception}");
    }
    out
}

#[test]
fn threaded_programs_under_fixed_schedules() {
    insta::glob!("data/threads/*.py", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let file_name = path.file_name().unwrap().to_str().unwrap();
        let program = weft_lang::compile(file_name, &source)
            .unwrap_or_else(|diagnostics| panic!("{file_name} does not compile: {diagnostics:?}"));
        let program = Arc::new(program);
        let mut report = format!("# {file_name}\n\n");
        report.push_str("## Lowest enabled thread first\n\n");
        report.push_str(&run(&program, Pick::Lowest));
        report.push_str("\n## Highest enabled thread first\n\n");
        report.push_str(&run(&program, Pick::Highest));
        insta::assert_snapshot!(report);
    });
}
