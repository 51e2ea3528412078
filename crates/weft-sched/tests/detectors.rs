//! The detectors at the boundary: generated counter programs in, lost updates and final counter
//! values out; and the happens-before edges of threads that start and finish within one step.

mod common;

use common::{compile, explore_capped};
use std::sync::Arc;

use weft_sched::{
    ExploreConfig, ExploreReport, RunConfig, SplitMix64, Strategy, explore, run_random,
};

/// Compiles `source` and explores it with `strategy` (capped: a capped search still reports
/// only what its explored schedules show).
fn check(source: &str, strategy: Strategy) -> ExploreReport {
    explore_capped(source, strategy, 5_000)
}

/// Where a counter program keeps its two counters.
#[derive(Clone, Copy, Debug)]
enum Counters {
    /// The globals `c0` and `c1`.
    Globals,
    /// Two slots of one shared list, `c[0]` and `c[1]`: each slot is a location of its own.
    ListSlots,
    /// Two keys of one shared dict, `c["a"]` and `c["b"]`.
    DictKeys,
}

impl Counters {
    /// The module-level definition of the counters.
    fn definition(self) -> &'static str {
        match self {
            Counters::Globals => "c0 = 0\nc1 = 0\n",
            Counters::ListSlots => "c = [0, 0]\n",
            Counters::DictKeys => "c = {\"a\": 0, \"b\": 0}\n",
        }
    }

    /// The expression naming counter `index`.
    fn counter(self, index: usize) -> String {
        match self {
            Counters::Globals => format!("c{index}"),
            Counters::ListSlots => format!("c[{index}]"),
            Counters::DictKeys => format!("c[{:?}]", ["a", "b"][index]),
        }
    }
}

/// A counter program: 2 or 3 threads, each doing 1 or 2 read-modify-writes of the shared counters
/// (`c += 1`, or a read into a local then a write) unlocked or under a lock; main joins them all
/// and prints the counters. Returns the source and each counter's sequential total.
fn counter_program(rng: &mut SplitMix64, counters: Counters) -> (String, [u64; 2]) {
    let mut totals = [0; 2];
    let mut source = format!(
        "import threading\n\n{}lock = threading.Lock()\n",
        counters.definition()
    );
    let n_threads = 2 + rng.below(2);
    for index in 0..n_threads {
        source.push_str(&format!(
            "\n\ndef worker{index}(lock):\n    global c0, c1\n"
        ));
        for _ in 0..1 + rng.below(2) {
            let counter = rng.below(2);
            totals[counter] += 1;
            let c = counters.counter(counter);
            source.push_str(&match rng.below(3) {
                0 => format!("    {c} += 1\n"),
                1 => format!("    tmp = {c}\n    {c} = tmp + 1\n"),
                _ => format!("    with lock:\n        {c} += 1\n"),
            });
        }
    }
    source.push_str("\n\ndef main():\n    threads = []\n");
    for index in 0..n_threads {
        source.push_str(&format!(
            "    threads.append(threading.Thread(target=worker{index}, args=(lock,)))\n"
        ));
    }
    source.push_str(&format!(
        "    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n    print({}, {})\n\n\nmain()\n",
        counters.counter(0),
        counters.counter(1)
    ));
    (source, totals)
}

/// Explores `n_cases` generated counter programs (counters chosen by `counters`) under DFS and
/// DPOR and checks that a lost update is reported if and only if some explored schedule ends
/// with a counter below its sequential total.
fn check_lost_updates(seed: u64, n_cases: usize, counters: impl Fn(usize) -> Counters) {
    let mut rng = SplitMix64::new(seed);
    let mut with_lost_updates = 0;
    let mut without = 0;
    for case in 0..n_cases {
        let (source, totals) = counter_program(&mut rng, counters(case));
        for strategy in [Strategy::Dfs, Strategy::Dpor] {
            let report = check(&source, strategy);
            let below_total = report.outcomes.iter().any(|outcome| {
                let values: Vec<u64> = (outcome.stdout.split_whitespace())
                    .map(|v| v.parse().expect("printed counters"))
                    .collect();
                values
                    .iter()
                    .zip(totals)
                    .any(|(&value, total)| value < total)
            });
            let reported = !report.lost_updates.is_empty();
            assert_eq!(
                reported, below_total,
                "case {case} ({strategy:?}): lost updates {:#?}\noutcomes {:#?}\n{source}",
                report.lost_updates, report.outcomes
            );
            if reported {
                with_lost_updates += 1;
            } else {
                without += 1;
            }
        }
    }
    let enough = n_cases / 6;
    assert!(
        with_lost_updates > enough && without > enough,
        "{with_lost_updates} / {without}"
    );
}

/// On generated counter programs, under DFS and DPOR, a lost update is reported if and only if
/// some explored schedule ends with a counter below its sequential total.
#[test]
fn lost_update_reported_iff_some_counter_ends_below_its_total() {
    check_lost_updates(7, 60, |_| Counters::Globals);
}

/// The same with the counters in two slots of a shared list or two keys of a shared dict: each
/// item is a location of its own, so updates of different items lose nothing.
#[test]
fn lost_update_of_an_item_reported_iff_some_counter_ends_below_its_total() {
    check_lost_updates(11, 40, |case| {
        if case % 2 == 0 {
            Counters::ListSlots
        } else {
            Counters::DictKeys
        }
    });
}

/// A thread that starts, fails an assert without a visible operation and is joined, all within
/// one step of its parent: the detectors take in its start and its join (they once looked up its
/// clock before creating it, and panicked).
#[test]
fn a_thread_started_and_joined_within_one_step() {
    let source = "import threading\n\nx = 0\n\ndef worker():\n    assert 1 == 2, \"x is not 1\"\n\ndef main():\n    global x\n    t = threading.Thread(target=worker)\n    t.start()\n    t.join()\n    x = 2\n\nmain()\n";
    let program = compile(source);
    let report = explore(Arc::clone(&program), &ExploreConfig::default());
    assert!(report.data_races.is_empty(), "{:#?}", report.data_races);
    let [exception] = &report.exceptions[..] else {
        panic!("one exception expected: {:#?}", report.exceptions)
    };
    assert_eq!(
        (exception.exception.as_str(), exception.line),
        ("AssertionError: x is not 1", Some(6))
    );
    let run = run_random(program, 0, &RunConfig::default());
    assert!(run.data_races.is_empty(), "{:#?}", run.data_races);
}

/// Accesses of different items of a shared list or dict do not race; an access of the whole
/// container (`len`, adding a key) races with each unsynchronised access of one of its items
/// (but for two reads), and is named by that item. Adding key `b` loses no update of key `a`.
#[test]
fn items_race_with_their_container_not_with_each_other() {
    let source = "\
import threading

results = [0, 0]
d = {'a': 0}


def first():
    results[0] = results[0] + 1
    d['a'] += 1


def second():
    results[1] = results[1] + 1
    n = len(results)
    d['b'] = 1


def main():
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(results, d)


main()
";
    let report = check(source, Strategy::Dpor);
    assert!(report.exhaustive);
    assert!(report.lost_updates.is_empty(), "{:#?}", report.lost_updates);
    let mut races: Vec<String> = (report.data_races.iter())
        .map(|finding| {
            let race = &finding.race;
            let mut lines = [
                format!("{} {}", race.first_access, race.first_line),
                format!("{} {}", race.second_access, race.second_line),
            ];
            lines.sort();
            format!("{}: {}", race.location, lines.join(", "))
        })
        .collect();
    races.sort();
    races.dedup();
    assert_eq!(
        races,
        [
            "d['a']: read 9, write 15",
            "d['a']: write 15, write 9",
            "results[0]: read 14, write 8",
        ]
    );
}
