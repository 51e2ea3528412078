//! Runs a scenario under the VM with a simple schedule (lowest enabled thread first) and prints
//! each step: a debugging aid for VM developers.

use std::sync::Arc;

use weft_vm::{Vm, VmConfig};

fn main() {
    let path = std::env::args().nth(1).expect("usage: run FILE [high]");
    let highest = std::env::args().nth(2).is_some_and(|arg| arg == "high");
    let source = std::fs::read_to_string(&path).expect("readable file");
    let program = match weft_lang::compile(&path, &source) {
        Ok(program) => program,
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                eprintln!("{diagnostic:?}");
            }
            std::process::exit(2);
        }
    };
    let mut vm = Vm::new(
        Arc::new(program),
        VmConfig {
            record_values: true,
            ..VmConfig::default()
        },
    );
    let mut enabled = Vec::new();
    while vm.status() == weft_vm::RunStatus::Running {
        vm.enabled_threads(&mut enabled);
        let thread = if highest {
            *enabled.last().unwrap()
        } else {
            enabled[0]
        };
        let event = vm.step(thread);
        eprintln!(
            "{} | {} | {} | {}",
            event.thread,
            event.line,
            vm.describe_op(&event.op),
            event.detail.unwrap_or_default()
        );
    }
    eprintln!("status: {:?}", vm.status());
    print!("{}", vm.stdout());
    eprint!("{}", vm.stderr());
}
