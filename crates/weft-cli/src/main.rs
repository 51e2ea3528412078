//! The `weft` command: run a scenario under a seeded schedule, replay a schedule step by step,
//! disassemble a scenario. Only this crate does IO.

mod check;
mod render;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use weft_bytecode::Program;
use weft_sched::{ExploreConfig, RunConfig, Schedule, Strategy};

/// Exit code: the run or the search found nothing wrong.
pub(crate) const EXIT_CLEAN: u8 = 0;
/// Exit code: a finding (deadlock, uncaught exception, step limit).
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, scenario or IO error.
pub(crate) const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "weft",
    version,
    args_override_self = true,
    about = "A deterministic thread-schedule simulator for Python threading scenarios",
    long_about = "weft compiles a scenario file (a program in a subset of Python that uses threading \
and time) to its own bytecode and runs its threads as green virtual threads under a scheduler it \
controls. It explores every interleaving that matters and reports the possible outcomes, \
deadlocks, lost updates and races (`explore`); samples many seeded schedules of scenarios too big \
to explore (`random`); runs one seeded schedule (`run`) or one exact schedule, step by step \
(`replay`); and pins what `explore` reports as snapshots for CI (`check`).\n\n\
A step is one visible operation: a read or write of shared state (globals, attributes, list and \
dict items), a lock operation, a sleep, or one piece of `print` output. A schedule lists the \
thread that ran each step, e.g. `0.0.1.2x3.0` (`2x3` = thread 2 for three steps); thread 0 is \
the main thread, the others are numbered in the order they were started.",
    after_help = "Exit codes: 0 nothing found, 1 a finding (deadlock, lost update, uncaught exception, \
step limit; warnings with --deny warnings) or a snapshot mismatch, 2 usage, scenario or IO error.\n\n\
Examples:\n  weft explore scenarios/seeds/bank_account.py --observe account.balance\n  \
weft random scenarios/seeds/counter_5x100000.py --runs 20 --seed 1\n  \
weft run scenarios/seeds/bank_account.py --seed 7\n  \
weft replay scenarios/seeds/lock_twice.py --schedule 0x8 --trace\n  \
weft check scenarios/\n  \
weft disasm scenarios/seeds/bank_account.py"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the scenario once under a seeded random schedule; print its output, then the schedule
    #[command(
        long_about = "Run the scenario once. At every step where more than one thread can run, a \
seeded generator (SplitMix64, see the README) picks one uniformly, so a seed means the same \
schedule on every machine. The program's stdout goes to stdout unchanged; its stderr (uncaught \
exception reports) and weft's footer (how the run ended, the schedule, a replay command) go to \
stderr."
    )]
    Run {
        /// The scenario file
        file: PathBuf,
        /// The seed of the random scheduler (a run seed printed by `weft random` reproduces
        /// that run)
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Schedule by PCT with bug depth D instead of uniformly (as `weft random --pct-depth`)
        #[arg(long, value_name = "D")]
        pct_depth: Option<u32>,
        /// PCT's expected run length k (printed by `weft random`; default: the length of a
        /// uniform run with the same seed)
        #[arg(long, value_name = "K", requires = "pct_depth")]
        pct_steps: Option<u64>,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Replay one exact schedule (as printed by `run`), optionally step by step
    #[command(
        long_about = "Replay one exact schedule, reproducing the run byte for byte. With --trace, \
every step is printed on stderr: step number, the threads that could run, the thread that ran, \
file:line, the visible operation and the value read or written, the text printed or the lock \
taken. A schedule that picks a thread which cannot run at that step is an error that says why."
    )]
    Replay {
        /// The scenario file
        file: PathBuf,
        /// The schedule: thread ids separated by dots, `TxN` for N steps of thread T
        #[arg(
            long,
            required_unless_present = "schedule_file",
            conflicts_with = "schedule_file"
        )]
        schedule: Option<String>,
        /// Read the schedule from this file (as written by `run --schedule-file`)
        #[arg(long, value_name = "PATH")]
        schedule_file: Option<PathBuf>,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Explore every interleaving that matters; report each distinct outcome and every deadlock
    #[command(
        long_about = "Explore the scenario's interleavings and report, deterministically: whether \
the search was exhaustive or which bound cut it, how many schedules ran, every distinct outcome \
(the program's stdout and how it ended) with how many schedules reach it and one that does, and \
every deadlock and uncaught exception with a `weft replay` command that reproduces it.\n\n\
--strategy dpor (the default) runs source-DPOR with sleep sets: one schedule per class of \
interleavings that differ only in the order of independent operations. --strategy dfs runs every \
interleaving of visible operations (the reference DPOR is checked against)."
    )]
    Explore {
        /// The scenario file
        file: PathBuf,
        #[command(flatten)]
        search: ExploreArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Show at most N outcomes in the text report (0 = all); JSON always has all
        #[arg(long, value_name = "N", default_value_t = 20)]
        max_outcomes: usize,
        /// `--deny warnings`: warnings (potential deadlocks by lock order, data races) also make
        /// the exit code 1
        #[arg(long, value_enum, value_name = "warnings")]
        deny: Option<Deny>,
    },
    /// Sample many random schedules (uniform or PCT); report outcomes and findings with seeds
    #[command(
        long_about = "Run the scenario --runs times, each under its own schedule, for scenarios \
too big to explore exhaustively. Run i uses the run seed derived from --seed (the (i+1)-th \
SplitMix64 output; printed with every outcome and finding), so `weft run --seed <run seed>` \
reproduces it on any machine. Schedules are uniform random, or PCT with --pct-depth D \
(Burckhardt et al., ASPLOS 2010: random thread priorities with D-1 priority change points; a bug \
of depth D is found by one run with probability at least 1/(n k^(D-1)) for n threads and k \
steps). Every error (deadlock, lost update, uncaught exception, step limit) is shrunk to the \
fewest preemptions, then the fewest steps, that still reproduce it (--no-shrink to skip); \
warnings (data races, potential deadlocks by lock order) are reported with their run's seed."
    )]
    Random {
        /// The scenario file
        file: PathBuf,
        /// How many runs
        #[arg(long, default_value_t = 1000)]
        runs: u64,
        /// The campaign seed: run i uses a run seed derived from it
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Use PCT with bug depth D (1 = no priority change) instead of uniform random choice
        #[arg(long, value_name = "D")]
        pct_depth: Option<u32>,
        /// Stop at the first error (warnings do not stop a campaign)
        #[arg(long)]
        stop_on_first: bool,
        /// Stop after this many seconds
        #[arg(long, value_name = "SECONDS")]
        time_limit: Option<f64>,
        /// Do not shrink findings' schedules
        #[arg(long)]
        no_shrink: bool,
        /// The most steps of one run; a longer one is a finding (possible non-termination)
        #[arg(long, default_value_t = RunConfig::default().max_steps)]
        max_steps: u64,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Show at most N outcomes in the text report (0 = all)
        #[arg(long, value_name = "N", default_value_t = 20)]
        max_outcomes: usize,
        /// `--deny warnings`: warnings (data races, potential deadlocks by lock order) also make
        /// the exit code 1
        #[arg(long, value_enum, value_name = "warnings")]
        deny: Option<Deny>,
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Explore every scenario under a path and compare each report with its snapshot
    #[command(
        long_about = "Snapshot testing for CI. For every scenario (`.py` file) under each PATH, \
run `weft explore` and compare its full text report with the scenario's snapshot file, \
SNAPSHOTS/<scenario path without .py>.snap (an insta-compatible file: a `---` header naming the \
scenario and the exact explore command, then the report). A mismatch prints a unified diff and \
writes the new report next to the snapshot as `.snap.new` (review with `cargo insta review`, or \
rerun with --update). A scenario without a snapshot fails with a hint; a snapshot without a \
scenario is reported.\n\n\
Exploration options come from a pragma line in the scenario's leading comments, e.g. \
`# weft: --observe account.balance --max-steps 500` (explore's options except --time-limit, \
which would make snapshots depend on the machine)."
    )]
    Check {
        /// Scenario files or directories
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Where snapshots live
        #[arg(long, default_value = "snapshots")]
        snapshots: PathBuf,
        /// Write missing and changed snapshots, remove snapshots without a scenario
        #[arg(long)]
        update: bool,
    },
    /// Print weft's bytecode for the scenario, per function, with source lines
    Disasm {
        /// The scenario file
        file: PathBuf,
    },
}

/// The search options of `explore`, also accepted in a scenario's `# weft:` pragma.
#[derive(Args)]
struct ExploreArgs {
    /// The search strategy
    #[arg(long, value_enum, default_value_t = StrategyArg::Dpor)]
    strategy: StrategyArg,
    /// Stop after this many schedules
    #[arg(long)]
    max_schedules: Option<u64>,
    /// The most steps of one execution; a longer one is reported as possible non-termination
    #[arg(long, default_value_t = ExploreConfig::default().max_steps)]
    max_steps: u64,
    /// Explore only schedules with at most K preemptions (switches away from a thread that
    /// could have continued)
    #[arg(long, value_name = "K")]
    preemption_bound: Option<u32>,
    /// Stop after this many seconds (the report then says it is bounded by time)
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    #[command(flatten)]
    common: CommonOptions,
}

impl ExploreArgs {
    fn config(&self) -> anyhow::Result<ExploreConfig> {
        let time_limit = seconds(self.time_limit)?;
        Ok(ExploreConfig {
            strategy: match self.strategy {
                StrategyArg::Dpor => Strategy::Dpor,
                StrategyArg::Dfs => Strategy::Dfs,
            },
            max_schedules: self.max_schedules,
            max_steps: self.max_steps,
            preemption_bound: self.preemption_bound,
            time_limit,
            print_atomic: self.common.print == PrintMode::Atomic,
            data_seed: self.common.data_seed,
            virtual_time: self.common.time == TimeMode::Virtual,
            detectors: true,
        })
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StrategyArg {
    /// Source-DPOR with sleep sets
    Dpor,
    /// Every interleaving (exhaustive depth-first search)
    Dfs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    /// Treat warnings as findings
    Warnings,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Readable text
    Text,
    /// The whole report as JSON (schema: docs/explore-json.md)
    Json,
}

#[derive(Args)]
struct RunOptions {
    /// Print every step on stderr
    #[arg(long)]
    trace: bool,
    /// Write the run's schedule to this file (long schedules stay out of the terminal)
    #[arg(long = "write-schedule", value_name = "PATH")]
    write_schedule: Option<PathBuf>,
    /// If the run deadlocks, write its wait-for graph to this file in Graphviz DOT
    #[arg(long, value_name = "PATH")]
    graph_dot: Option<PathBuf>,
    #[command(flatten)]
    common: CommonOptions,
    /// The most steps a run may take before it is stopped as possible non-termination
    #[arg(long, default_value_t = RunConfig::default().max_steps)]
    max_steps: u64,
    /// `--deny warnings`: warnings (data races, potential deadlocks by lock order) also make
    /// the exit code 1
    #[arg(long, value_enum, value_name = "warnings")]
    deny: Option<Deny>,
}

impl RunOptions {
    fn config(&self) -> RunConfig {
        RunConfig {
            max_steps: self.max_steps,
            trace: self.trace,
            print_atomic: self.common.print == PrintMode::Atomic,
            data_seed: self.common.data_seed,
            virtual_time: self.common.time == TimeMode::Virtual,
        }
    }
}

/// Options shared by every command that runs the program.
#[derive(Args)]
struct CommonOptions {
    /// How `print` is stepped: `pieces` (each argument, separator and end is its own step, as
    /// CPython writes them) or `atomic` (one step per call: easier to read, fewer schedules, but
    /// it hides interleaved lines CPython can print)
    #[arg(long, value_enum, default_value_t = PrintMode::Pieces)]
    print: PrintMode,
    /// A Python expression evaluated in the program's global scope at the end (repeatable);
    /// for `explore`, the outcome is these values instead of the program's stdout
    #[arg(long, value_name = "EXPR")]
    observe: Vec<String>,
    /// The seed of the `random` module: random values are data, the same in every schedule
    /// (each thread draws from its own stream); part of every reproduction command
    #[arg(long, value_name = "N", default_value_t = 0)]
    data_seed: u64,
    /// How time passes: `any` (a timed wait may end at any moment and `sleep` waits for
    /// nothing: every outcome real timing allows) or `virtual` (a clock that advances only when
    /// no thread can run: `sleep`, timeouts and `Timer`s happen in the order their times say;
    /// `explore` then searches with DFS)
    #[arg(long, value_enum, default_value_t = TimeMode::Any)]
    time: TimeMode,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TimeMode {
    /// Timeouts may fire at any moment; sleeps wait for nothing
    Any,
    /// A virtual clock
    Virtual,
}

impl CommonOptions {
    /// The flags a replay command must repeat to reproduce the same run and report.
    fn replay_flags(&self) -> String {
        let mut flags = String::new();
        if self.print == PrintMode::Atomic {
            flags.push_str(" --print atomic");
        }
        for expression in &self.observe {
            flags.push_str(" --observe ");
            flags.push_str(&render::shell_word(expression));
        }
        if self.data_seed != 0 {
            flags.push_str(&format!(" --data-seed {}", self.data_seed));
        }
        if self.time == TimeMode::Virtual {
            flags.push_str(" --time virtual");
        }
        flags
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PrintMode {
    /// One step per piece written, as CPython writes them
    Pieces,
    /// One step per `print` call
    Atomic,
}

fn main() -> ExitCode {
    let cli = match with_pragma(Cli::parse()) {
        Ok(cli) => cli,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match execute(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// `weft explore FILE ...` with the options of FILE's `# weft:` pragma in front of the command
/// line's own, which override them (the same options `weft check` uses).
fn with_pragma(cli: Cli) -> anyhow::Result<Cli> {
    let Command::Explore { file, .. } = &cli.command else {
        return Ok(cli);
    };
    let words = check::pragma_words(file)?;
    if words.is_empty() {
        return Ok(cli);
    }
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let position = args
        .iter()
        .position(|arg| arg == "explore")
        .expect("the explore subcommand was parsed");
    args.splice(
        position + 1..position + 1,
        words.into_iter().map(Into::into),
    );
    Cli::try_parse_from(args).map_err(|error| {
        anyhow::anyhow!(
            "invalid `# weft:` pragma in {}: {}",
            file.display(),
            error.to_string().trim_end()
        )
    })
}

/// A scenario that failed to compile: its diagnostics are already printed.
#[derive(Debug)]
struct CompileFailed;

impl std::fmt::Display for CompileFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the scenario has errors; nothing was run")
    }
}

impl std::error::Error for CompileFailed {}

fn load(path: &Path, observers: &[String]) -> anyhow::Result<Arc<Program>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let source = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not valid UTF-8 text", path.display()))?;
    let file_name = path.display().to_string();
    match weft_lang::compile_with_observers(&file_name, &source, observers) {
        Ok(program) => Ok(Arc::new(program)),
        Err(diagnostics) => {
            let mut stderr = std::io::stderr().lock();
            for diagnostic in &diagnostics {
                let _ = writeln!(
                    stderr,
                    "{}",
                    diagnostic.render_with(&file_name, &source, observers)
                );
            }
            Err(CompileFailed.into())
        }
    }
}

fn execute(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Run {
            file,
            seed,
            pct_depth,
            pct_steps,
            options,
        } => {
            let program = load(&file, &options.common.observe)?;
            let config = options.config();
            let (report, origin) = match pct_depth {
                None => (
                    weft_sched::run_random(program, seed, &config),
                    render::Origin::Seed(seed),
                ),
                Some(depth) => {
                    let steps = match pct_steps {
                        Some(steps) => steps,
                        None => weft_sched::pct_expected_steps(program.clone(), seed, &config),
                    };
                    (
                        weft_sched::run_pct(program, seed, depth, steps, &config),
                        render::Origin::Pct { seed, depth, steps },
                    )
                }
            };
            finish(&file, &options, &report, &origin)
        }
        Command::Replay {
            file,
            schedule,
            schedule_file,
            options,
        } => {
            let program = load(&file, &options.common.observe)?;
            let text = match (schedule, schedule_file) {
                (Some(text), _) => text,
                (None, Some(path)) => std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                (None, None) => anyhow::bail!("give --schedule or --schedule-file"),
            };
            let schedule: Schedule = text.parse()?;
            let report = weft_sched::replay(program, &schedule, &options.config())?;
            finish(&file, &options, &report, &render::Origin::Replay)
        }
        Command::Random {
            file,
            runs,
            seed,
            pct_depth,
            stop_on_first,
            time_limit,
            no_shrink,
            max_steps,
            format,
            max_outcomes,
            deny,
            common,
        } => {
            let program = load(&file, &common.observe)?;
            let config = weft_sched::RandomConfig {
                runs,
                seed,
                pct_depth,
                stop_on_first,
                time_limit: seconds(time_limit)?,
                shrink: !no_shrink,
                run: RunConfig {
                    max_steps,
                    trace: false,
                    print_atomic: common.print == PrintMode::Atomic,
                    data_seed: common.data_seed,
                    virtual_time: common.time == TimeMode::Virtual,
                },
            };
            let started = std::time::Instant::now();
            let report = weft_sched::random_runs(program, &config);
            let elapsed = started.elapsed().as_secs_f64().max(1e-9);
            let mut flags = common.replay_flags();
            if max_steps != RunConfig::default().max_steps {
                flags.push_str(&format!(" --max-steps {max_steps}"));
            }
            let text = match format {
                Format::Text => render::random(
                    &file,
                    &report,
                    &render::RandomView {
                        max_outcomes,
                        observers: &common.observe,
                        flags: &flags,
                    },
                ),
                Format::Json => render::json_document("weft-random/1", &file, &report),
            };
            emit(&text);
            eprintln!(
                "weft: {} runs in {elapsed:.2}s: {:.0} runs/s, {:.0} steps/s",
                report.runs,
                report.runs as f64 / elapsed,
                report.steps_executed as f64 / elapsed
            );
            let threshold = threshold(deny);
            Ok(
                if report
                    .findings
                    .iter()
                    .any(|f| f.kind.severity() <= threshold)
                {
                    EXIT_FINDINGS
                } else {
                    EXIT_CLEAN
                },
            )
        }
        Command::Explore {
            file,
            search,
            format,
            max_outcomes,
            deny,
        } => {
            let config = search.config()?;
            let common = &search.common;
            let program = load(&file, &common.observe)?;
            let report = explore_showing_progress(program, &config);
            let text = match format {
                Format::Text => render::explore(
                    &file,
                    &config,
                    &report,
                    &render::ExploreView {
                        max_outcomes,
                        observers: &common.observe,
                        replay_flags: &common.replay_flags(),
                        pragma: &check::pragma_words(&file)?,
                    },
                ),
                Format::Json => render::json_document(
                    "weft-explore/2",
                    &file,
                    &render::ExploreJson::new(&file, &report, &common.replay_flags()),
                ),
            };
            emit(&text);
            Ok(
                if render::explore_found_something(&report, threshold(deny)) {
                    EXIT_FINDINGS
                } else {
                    EXIT_CLEAN
                },
            )
        }
        Command::Check {
            paths,
            snapshots,
            update,
        } => check::check(&paths, &snapshots, update),
        Command::Disasm { file } => {
            let program = load(&file, &[])?;
            emit(&weft_bytecode::disassemble(&program));
            Ok(EXIT_CLEAN)
        }
    }
}

/// Runs the search; when stderr is a terminal and the search takes over a second, keeps one
/// progress line there (schedules done, schedules/s, outcomes so far, elapsed), erased at the end.
fn explore_showing_progress(
    program: Arc<Program>,
    config: &ExploreConfig,
) -> weft_sched::ExploreReport {
    use std::io::IsTerminal;
    let show = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let mut shown = false;
    let mut last_shown = 0.0;
    let report = weft_sched::explore_with_progress(program, config, &mut |progress| {
        let elapsed = started.elapsed().as_secs_f64();
        if show && elapsed >= 1.0 && elapsed - last_shown >= 0.1 {
            shown = true;
            last_shown = elapsed;
            eprint!(
                "\r\x1b[2Kexploring: {} schedules, {:.0} schedules/s, {} outcomes, {:.1}s",
                progress.schedules,
                progress.schedules as f64 / elapsed,
                progress.outcomes,
                elapsed
            );
        }
    });
    if shown {
        eprint!("\r\x1b[2K");
    }
    report
}

/// Writes `text` to stdout; a closed pipe (`weft ... | head`) is not an error.
fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Prints a run's output and footer; returns the exit code.
fn finish(
    file: &Path,
    options: &RunOptions,
    report: &weft_sched::RunReport,
    origin: &render::Origin,
) -> anyhow::Result<u8> {
    if let Some(path) = &options.write_schedule {
        std::fs::write(path, format!("{}\n", report.schedule))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &options.graph_dot {
        let weft_sched::RunEnd::Deadlocked { report: deadlock } = &report.end else {
            anyhow::bail!("--graph-dot: the run did not deadlock, so there is no wait-for graph");
        };
        let dot = weft_detect::wait_for_dot(deadlock, &file.display().to_string());
        std::fs::write(path, dot).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(report.stdout.as_bytes());
    let _ = stdout.flush();
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(report.stderr.as_bytes());
    if options.trace {
        let _ = stderr.write_all(render::trace(file, report).as_bytes());
    }
    let mut replay_flags = options.common.replay_flags();
    if options.max_steps != RunConfig::default().max_steps {
        replay_flags.push_str(&format!(" --max-steps {}", options.max_steps));
    }
    let footer = render::footer(
        file,
        report,
        origin,
        &render::FooterView {
            observers: &options.common.observe,
            replay_flags: &replay_flags,
            schedule_file: options.write_schedule.as_deref(),
        },
    );
    let _ = stderr.write_all(footer.as_bytes());
    Ok(if render::is_clean(report, threshold(options.deny)) {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

/// The least severe finding that makes the exit code 1: warnings count with `--deny warnings`.
fn threshold(deny: Option<Deny>) -> weft_detect::Severity {
    match deny {
        Some(Deny::Warnings) => weft_detect::Severity::Warning,
        None => weft_detect::Severity::Error,
    }
}

/// A `--time-limit` value as a duration.
fn seconds(limit: Option<f64>) -> anyhow::Result<Option<std::time::Duration>> {
    match limit {
        Some(seconds) if seconds.is_finite() && seconds > 0.0 => {
            Ok(Some(std::time::Duration::from_secs_f64(seconds)))
        }
        Some(seconds) => {
            anyhow::bail!("--time-limit must be a positive number of seconds, not {seconds}")
        }
        None => Ok(None),
    }
}
