//! The random-testing benchmark on the notes' full-size Counter (5 threads x 100000
//! `self.count += 1`): runs/s and visible steps/s of uniform campaigns, and the number of runs
//! to the first lost update, uniform random against PCT depth 2, median over 20 seeds.
//!
//! `cargo bench -p weft-sched --bench random` prints a Markdown table.

use std::sync::Arc;
use std::time::Instant;

use weft_sched::{RandomConfig, RandomReport, random_runs};

const SCENARIO: &str = include_str!("../../../scenarios/seeds/counter_5x100000.py");

/// The run (from 1) of the first outcome whose count shows a lost update.
fn first_lost_update(report: &RandomReport) -> Option<u64> {
    report
        .outcomes
        .iter()
        .filter(|o| o.stdout.contains("count = ") && !o.stdout.contains("500,000"))
        .map(|o| o.first_run + 1)
        .min()
}

fn median(mut values: Vec<u64>) -> f64 {
    values.sort_unstable();
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    }
}

fn main() {
    let program = Arc::new(weft_lang::compile("counter_5x100000.py", SCENARIO).expect("compiles"));
    let campaign = |seed: u64, runs: u64, pct_depth: Option<u32>| {
        let config = RandomConfig {
            runs,
            seed,
            pct_depth,
            shrink: false,
            ..RandomConfig::default()
        };
        random_runs(program.clone(), &config)
    };
    println!("| measurement | uniform | PCT depth 2 |");
    println!("|---|---|---|");
    let started = Instant::now();
    let uniform = campaign(1, 10, None);
    let uniform_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let pct = campaign(1, 10, Some(2));
    let pct_seconds = started.elapsed().as_secs_f64();
    println!(
        "| runs/s (10 runs, seed 1) | {:.1} | {:.1} |",
        uniform.runs as f64 / uniform_seconds,
        pct.runs as f64 / pct_seconds
    );
    println!(
        "| visible steps/s | {:.0} | {:.0} |",
        uniform.steps_executed as f64 / uniform_seconds,
        pct.steps_executed as f64 / pct_seconds
    );
    let mut firsts = [Vec::new(), Vec::new()];
    for seed in 1..=20 {
        for (slot, depth) in [(0, None), (1, Some(2))] {
            let report = campaign(seed, 10, depth);
            firsts[slot].push(first_lost_update(&report).unwrap_or(u64::MAX));
        }
    }
    println!(
        "| runs to the first lost update, median of seeds 1..20 (10 runs each) | {} | {} |",
        median(firsts[0].clone()),
        median(firsts[1].clone())
    );
    println!("\nper seed, uniform: {:?}", firsts[0]);
    println!("per seed, PCT 2:   {:?}", firsts[1]);
}
