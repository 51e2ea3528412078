//! Measures visible steps per second on small threaded programs (a benchmark, not a test):
//! `cargo run --release -p weft-vm --example steps_per_second`.

use std::sync::Arc;
use std::time::Instant;

use weft_vm::{RunStatus, Vm, VmConfig};

const PROGRAMS: &[(&str, &str)] = &[
    (
        "global counter",
        "import threading\ncounter = 0\ndef worker():\n    global counter\n    for _ in range(100000):\n        counter += 1\n\
         ts = []\nfor i in range(4):\n    t = threading.Thread(target=worker)\n    ts.append(t)\n    t.start()\n\
         for t in ts:\n    t.join()\nprint(counter)\n",
    ),
    (
        "locked attribute",
        "import threading\nclass Account:\n    def __init__(self):\n        self.balance = 0\n        self.lock = threading.Lock()\n\
         \n    def deposit(self, n):\n        with self.lock:\n            self.balance += n\n\
         acct = Account()\ndef worker():\n    for i in range(50000):\n        acct.deposit(1)\n\
         t1 = threading.Thread(target=worker)\nt2 = threading.Thread(target=worker)\nt1.start()\nt2.start()\n\
         t1.join()\nt2.join()\nprint(acct.balance)\n",
    ),
    (
        "list appends",
        "import threading\nresults = []\ndef worker(n):\n    for i in range(n):\n        results.append(i * 2)\n\
         t = threading.Thread(target=worker, args=(200000,))\nt.start()\nworker(200000)\nt.join()\nprint(len(results))\n",
    ),
];

fn main() {
    for (name, source) in PROGRAMS {
        let program = Arc::new(weft_lang::compile("bench.py", source).expect("compiles"));
        let start = Instant::now();
        let mut vm = Vm::new(program, VmConfig::default());
        let mut enabled = Vec::new();
        let mut turn = 0usize;
        while vm.status() == RunStatus::Running {
            vm.enabled_threads(&mut enabled);
            turn = turn.wrapping_add(1);
            vm.step(enabled[turn % enabled.len()]);
        }
        let elapsed = start.elapsed().as_secs_f64();
        let clone_start = Instant::now();
        let mut clones = 0u64;
        while clone_start.elapsed().as_millis() < 200 {
            std::hint::black_box(vm.clone());
            clones += 1;
        }
        let clone_ns = clone_start.elapsed().as_nanos() as f64 / clones as f64;
        println!(
            "{name:>18}: {:>8} steps in {elapsed:.3}s = {:>10.0} steps/s ({}); clone of the final state: {clone_ns:.0} ns",
            vm.steps(),
            vm.steps() as f64 / elapsed,
            vm.stdout().trim()
        );
    }
}
