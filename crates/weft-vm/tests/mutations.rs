//! A small deterministic fuzz: mutants of the test programs (lines dropped, duplicated, swapped
//! or with names replaced) that still compile must run under random schedules without a panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use weft_vm::{RunStatus, Vm, VmConfig};

const MUTANTS_PER_PROGRAM: u64 = 60;
const STEP_LIMIT: usize = 2_000;

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const REPLACEMENTS: &[&str] = &[
    "0",
    "-1",
    "None",
    "[]",
    "{}",
    "()",
    "''",
    "1.5",
    "lock",
    "self",
    "threading.Lock()",
    "[1, [2]]",
];

fn mutate(source: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_owned).collect();
    for _ in 0..1 + rng.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(4) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            _ => {
                // Replace one identifier-like word or number with something else.
                let words: Vec<&str> = lines[i]
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|word| !word.is_empty())
                    .collect();
                if !words.is_empty() {
                    let word = words[rng.below(words.len())].to_owned();
                    let replacement = REPLACEMENTS[rng.below(REPLACEMENTS.len())];
                    lines[i] = lines[i].replacen(&word, replacement, 1);
                }
            }
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn compiling_mutants_never_panic_the_vm() {
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
    let mut ran = 0;
    let mut failures = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let source = std::fs::read_to_string(path).unwrap();
        for seed in 0..MUTANTS_PER_PROGRAM {
            let mut rng = Rng(index as u64 * 1000 + seed);
            let mutant = mutate(&source, &mut rng);
            let Ok(program) = weft_lang::compile("mutant.py", &mutant) else {
                continue;
            };
            ran += 1;
            let config = VmConfig {
                max_local_instructions: 200_000,
                record_values: rng.below(2) == 0,
                print_atomic: rng.below(2) == 0,
                data_seed: rng.below(4) as u64,
                virtual_time: rng.below(2) == 0,
            };
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let mut vm = Vm::new(Arc::new(program), config);
                let mut enabled = Vec::new();
                let mut steps = 0;
                while vm.status() == RunStatus::Running && steps < STEP_LIMIT {
                    vm.enabled_threads(&mut enabled);
                    vm.step(enabled[rng.below(enabled.len())]);
                    steps += 1;
                }
            }));
            if outcome.is_err() {
                failures.push(format!("--- from {}\n{mutant}", path.display()));
            }
        }
    }
    assert!(ran > 1000, "only {ran} mutants compiled");
    eprintln!("{ran} mutants ran");
    assert!(
        failures.is_empty(),
        "{} mutants panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
