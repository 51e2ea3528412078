//! Every test program under many seeded random schedules: the VM never panics, every step's
//! thread was enabled, a blocked thread's reason is consistent, and replaying a schedule gives
//! the same run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use weft_vm::{BlockReason, RunStatus, ThreadId, ThreadState, Vm, VmConfig};

const SCHEDULES_PER_PROGRAM: u64 = 40;
const STEP_LIMIT: usize = 3_000;

/// SplitMix64: a tiny seeded generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

fn programs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths = Vec::new();
    for dir in ["single", "threads"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "py") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// Runs one random schedule; returns the schedule and a fingerprint of the run.
fn run(vm: &mut Vm, rng: &mut Rng) -> (Vec<ThreadId>, String) {
    let mut schedule = Vec::new();
    let mut enabled = Vec::new();
    while vm.status() == RunStatus::Running && schedule.len() < STEP_LIMIT {
        vm.enabled_threads(&mut enabled);
        for index in 0..vm.n_threads() {
            let thread = ThreadId(index as u32);
            let state = vm.thread_state(thread);
            assert_eq!(
                enabled.contains(&thread),
                state == ThreadState::Ready,
                "{state:?}"
            );
            if let ThreadState::Blocked(BlockReason::Lock { owner, .. }) = state {
                assert!(owner.is_some(), "a thread waits for a lock nobody holds");
            }
        }
        let thread = enabled[rng.below(enabled.len())];
        let event = vm.step(thread);
        assert_eq!(event.thread, thread);
        schedule.push(thread);
    }
    let fingerprint = format!("{:?}\n{}\n{}", vm.status(), vm.stdout(), vm.stderr());
    (schedule, fingerprint)
}

#[test]
fn random_schedules_never_panic_and_replay_exactly() {
    for path in programs() {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let program = Arc::new(weft_lang::compile(name, &source).unwrap());
        let start = Vm::new(program, VmConfig::default());
        for seed in 0..SCHEDULES_PER_PROGRAM {
            let mut rng = Rng(seed);
            let mut vm = start.clone();
            let (schedule, fingerprint) = run(&mut vm, &mut rng);
            let mut replay = start.clone();
            for thread in &schedule {
                replay.step(*thread);
            }
            let replayed = format!(
                "{:?}\n{}\n{}",
                replay.status(),
                replay.stdout(),
                replay.stderr()
            );
            assert_eq!(fingerprint, replayed, "{name} seed {seed}");
        }
    }
}
