//! The soundness soak runner: DFS against DPOR on generated programs of every construct family
//! (tests/generate), for as many cases as asked.
//!
//! ```text
//! cargo run --release -p weft-sched --example soundness -- --cases 5000 --seed 1 --threads 2
//! cargo run --release -p weft-sched --example soundness -- --case-seed 0x0123456789abcdef
//! ```
//!
//! Options: `--cases N` (default 1000), `--seed S` (default 1), `--threads K` (default 1;
//! cases run in parallel, the report is the same), `--cap C` (schedules per search, default
//! 20000: a case whose DFS needs more is skipped), `--shrink-budget B` (comparisons per
//! shrink, default 400), `--max-shrinks M` (disagreements to shrink, default all; the rest
//! are listed by case seed), `--case-seed X` (run that one case, printing its source),
//! `--verbose` (a line per case on stderr: its time and verdict). A panic in weft fails the
//! case like a disagreement and is shrunk the same way.
//! Progress goes to stderr; the disagreements (sorted by case, each with its case seed and
//! shrunk source), the disagreement classes and a summary line go to stdout. Exit 0 when DPOR
//! agreed everywhere and the generator wrote only valid programs, 1 otherwise, 2 on bad usage.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/generate/mod.rs"]
mod generate;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use generate::Family;
use generate::campaign::{
    Shrunk, Verdict, case_scenario, case_seed, describe, interleaving_estimate, parallel,
    shrink_disagreement, shrink_panic,
};

struct Options {
    cases: u64,
    seed: u64,
    threads: usize,
    cap: u64,
    shrink_budget: usize,
    max_shrinks: Option<usize>,
    case_seed: Option<u64>,
    verbose: bool,
}

fn parse_number(flag: &str, text: Option<String>) -> Result<u64, String> {
    let text = text.ok_or_else(|| format!("{flag} needs a value"))?;
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| format!("{flag}: not a number: {text}"))
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        cases: 1000,
        seed: 1,
        threads: 1,
        cap: 20_000,
        shrink_budget: 400,
        max_shrinks: None,
        case_seed: None,
        verbose: false,
    };
    while let Some(flag) = args.next() {
        if flag == "--verbose" {
            options.verbose = true;
            continue;
        }
        let value = args.next();
        match flag.as_str() {
            "--cases" => options.cases = parse_number(&flag, value)?,
            "--seed" => options.seed = parse_number(&flag, value)?,
            "--threads" => options.threads = parse_number(&flag, value)?.max(1) as usize,
            "--cap" => options.cap = parse_number(&flag, value)?,
            "--shrink-budget" => options.shrink_budget = parse_number(&flag, value)? as usize,
            "--max-shrinks" => options.max_shrinks = Some(parse_number(&flag, value)? as usize),
            "--case-seed" => options.case_seed = Some(parse_number(&flag, value)?),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(options)
}

fn run_one(case_seed: u64, options: &Options) -> ExitCode {
    let scenario = case_scenario(case_seed);
    println!("{}", scenario.source());
    match generate::campaign::verdict(&scenario, options.cap) {
        Verdict::Rejected(diagnostics) => println!("rejected:\n{diagnostics}"),
        Verdict::IllFormed(exception) => println!("ill-formed: raises {exception}"),
        Verdict::Skipped => println!("skipped: DFS needs more than {} schedules", options.cap),
        Verdict::Agreed { schedules } => {
            println!(
                "agreed: DFS {} schedules, DPOR {}",
                schedules.0, schedules.1
            );
            return ExitCode::SUCCESS;
        }
        Verdict::Panicked(message) => {
            let shrunk = shrink_panic(&scenario, &message, options.cap, options.shrink_budget);
            println!("{}", describe(0, case_seed, &shrunk));
        }
        Verdict::Disagreed(_) => {
            let shrunk = shrink_disagreement(&scenario, options.cap, options.shrink_budget);
            println!("{}", describe(0, case_seed, &shrunk));
        }
    }
    ExitCode::FAILURE
}

/// A case that failed: DPOR disagreed, or weft panicked with this message.
struct Failure {
    case: usize,
    seed: u64,
    panic: Option<String>,
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("soundness: {message}");
            return ExitCode::from(2);
        }
    };
    // Panics are verdicts (caught and reported with their case); the default hook would
    // print each one, shrinking included, on stderr.
    std::panic::set_hook(Box::new(|_| {}));
    if let Some(seed) = options.case_seed {
        return run_one(seed, &options);
    }
    let start = Instant::now();
    let done = AtomicU64::new(0);
    let failed = AtomicU64::new(0);
    let n_cases = options.cases as usize;
    let verdicts = parallel(n_cases, options.threads, |case| {
        let seed = case_seed(options.seed, case as u64);
        let case_start = Instant::now();
        let verdict = generate::campaign::verdict(&case_scenario(seed), options.cap);
        if matches!(verdict, Verdict::Disagreed(_) | Verdict::Panicked(_)) {
            failed.fetch_add(1, Ordering::Relaxed);
        }
        if options.verbose {
            let what = match &verdict {
                Verdict::Rejected(_) => "rejected".to_string(),
                Verdict::IllFormed(e) => format!("ill-formed {e}"),
                Verdict::Panicked(_) => "panicked".to_string(),
                Verdict::Skipped => "skipped".to_string(),
                Verdict::Agreed { schedules } => format!("agreed {} {}", schedules.0, schedules.1),
                Verdict::Disagreed(_) => "disagreed".to_string(),
            };
            let scenario = case_scenario(seed);
            let estimate = common::try_compile(&scenario.source(), &[])
                .ok()
                .and_then(|p| {
                    std::panic::catch_unwind(|| interleaving_estimate(&p, scenario.print_atomic))
                        .ok()
                })
                .unwrap_or(f64::NAN);
            eprintln!(
                "case {case} {seed:#018x} {:.0}ms {what} estimate {estimate:.0}",
                case_start.elapsed().as_secs_f64() * 1000.0
            );
        }
        let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
        if finished.is_multiple_of(250) || finished == options.cases {
            eprintln!(
                "soundness: {finished}/{} cases, {} failing, {:.1}s",
                options.cases,
                failed.load(Ordering::Relaxed),
                start.elapsed().as_secs_f64()
            );
        }
        verdict
    });

    let mut compared = 0;
    let mut skipped = 0;
    let mut generator_bugs = Vec::new();
    let mut failures = Vec::new();
    let mut schedules = (0, 0);
    let mut covered: BTreeMap<Family, u64> = BTreeMap::new();
    for (case, verdict) in verdicts.iter().enumerate() {
        let seed = case_seed(options.seed, case as u64);
        match verdict {
            Verdict::Rejected(diagnostics) => generator_bugs.push(format!(
                "case {case} (case seed {seed:#018x}) does not compile:\n{diagnostics}"
            )),
            Verdict::IllFormed(exception) => generator_bugs.push(format!(
                "case {case} (case seed {seed:#018x}) raises {exception}:\n{}",
                case_scenario(seed).source()
            )),
            Verdict::Skipped => skipped += 1,
            Verdict::Agreed {
                schedules: (dfs, dpor),
            } => {
                compared += 1;
                schedules.0 += dfs;
                schedules.1 += dpor;
            }
            Verdict::Disagreed(_) => {
                compared += 1;
                failures.push(Failure {
                    case,
                    seed,
                    panic: None,
                });
            }
            Verdict::Panicked(message) => failures.push(Failure {
                case,
                seed,
                panic: Some(message.clone()),
            }),
        }
        if matches!(verdict, Verdict::Agreed { .. } | Verdict::Disagreed(_)) {
            for family in case_scenario(seed).families() {
                *covered.entry(family).or_default() += 1;
            }
        }
    }
    for bug in &generator_bugs {
        println!("generator bug: {bug}\n");
    }

    let n_shrinks = (options.max_shrinks.unwrap_or(usize::MAX)).min(failures.len());
    eprintln!("soundness: shrinking {n_shrinks} failing cases");
    let shrunk: Vec<Shrunk> = parallel(n_shrinks, options.threads, |index| {
        let failure = &failures[index];
        let scenario = case_scenario(failure.seed);
        match &failure.panic {
            Some(message) => shrink_panic(&scenario, message, options.cap, options.shrink_budget),
            None => shrink_disagreement(&scenario, options.cap, options.shrink_budget),
        }
    });
    let mut classes: BTreeMap<(Option<&str>, Vec<&'static str>), Vec<usize>> = BTreeMap::new();
    for (index, found) in shrunk.iter().enumerate() {
        let failure = &failures[index];
        let what = if failure.panic.is_some() {
            "weft panicked"
        } else {
            "disagreement"
        };
        println!(
            "{what}: {}",
            describe(failure.case as u64, failure.seed, found)
        );
        classes
            .entry((failure.panic.as_deref(), found.scenario.labels()))
            .or_default()
            .push(index);
    }
    for failure in &failures[n_shrinks..] {
        println!(
            "failing (not shrunk): case {} (case seed {:#018x})",
            failure.case, failure.seed
        );
    }
    if !classes.is_empty() {
        println!("failure classes (by the templates of the shrunk scenario):");
        for ((panic, labels), members) in &classes {
            let smallest = (members.iter())
                .min_by_key(|&&m| shrunk[m].scenario.source().len())
                .expect("a class has members");
            println!(
                "  {}[{}]: {} case(s), smallest: case {}",
                panic.map(|m| format!("panic {m:?} ")).unwrap_or_default(),
                labels.join(", "),
                members.len(),
                failures[*smallest].case
            );
        }
    }
    let mut failing_families: BTreeMap<Family, u64> = BTreeMap::new();
    for found in &shrunk {
        for family in found.scenario.families() {
            *failing_families.entry(family).or_default() += 1;
        }
    }
    println!("families (compared cases using it / shrunk failures using it):");
    for family in Family::ALL {
        println!(
            "  {:<58} {:>6} / {}",
            family.name(),
            covered.get(&family).copied().unwrap_or(0),
            failing_families.get(&family).copied().unwrap_or(0)
        );
    }
    let n_panics = failures.iter().filter(|f| f.panic.is_some()).count();
    println!(
        "soundness: seed {}, {} cases: {compared} compared, {skipped} skipped (DFS over {} schedules), {} disagreements, {n_panics} weft panics, {} generator bugs; {} DFS and {} DPOR schedules on agreeing cases; {:.1}s",
        options.seed,
        options.cases,
        options.cap,
        failures.len() - n_panics,
        generator_bugs.len(),
        schedules.0,
        schedules.1,
        start.elapsed().as_secs_f64()
    );
    if failures.is_empty() && generator_bugs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
