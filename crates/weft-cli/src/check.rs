//! `weft check`: snapshot tests of scenarios. Each scenario's explore report is compared with a
//! committed, insta-compatible snapshot file; mismatches print a unified diff.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Parser;

use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, ExploreArgs, render};

/// The prefix of the pragma line that carries a scenario's exploration options.
const PRAGMA: &str = "# weft:";

/// The explore options a pragma may hold, parsed with explore's own definitions.
#[derive(Parser)]
#[command(name = "# weft:", no_binary_name = true)]
struct Pragma {
    #[command(flatten)]
    search: ExploreArgs,
}

/// How one scenario fared.
enum Verdict {
    Passed,
    Failed(String),
    Written(&'static str),
    Error(String),
}

/// Runs `weft check` and returns the exit code.
pub(crate) fn check(paths: &[PathBuf], snapshots: &Path, update: bool) -> anyhow::Result<u8> {
    let mut scenarios = Vec::new();
    for path in paths {
        collect(path, &mut scenarios)?;
    }
    scenarios.sort();
    scenarios.dedup();
    if scenarios.is_empty() {
        anyhow::bail!(
            "no scenario (.py file) found under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (mut passed, mut failed, mut errors, mut written) = (0, 0, 0, 0);
    for scenario in &scenarios {
        let snapshot = snapshot_path(snapshots, scenario);
        let verdict = check_one(scenario, &snapshot, update);
        let name = scenario.display();
        match verdict {
            Verdict::Passed => {
                passed += 1;
                println!("ok       {name}");
            }
            Verdict::Written(what) => {
                written += 1;
                println!("{what:<8} {}", snapshot.display());
            }
            Verdict::Failed(text) => {
                failed += 1;
                println!("FAILED   {name}\n{text}");
            }
            Verdict::Error(text) => {
                errors += 1;
                println!("ERROR    {name}\n{text}");
            }
        }
    }
    let mut orphans = 0;
    for path in paths.iter().filter(|p| p.is_dir()) {
        for orphan in orphan_snapshots(snapshots, path, &scenarios)? {
            if update {
                std::fs::remove_file(&orphan)
                    .with_context(|| format!("cannot remove {}", orphan.display()))?;
                let _ = std::fs::remove_file(orphan.with_extension("snap.new"));
                println!("removed  {} (no scenario)", orphan.display());
            } else {
                orphans += 1;
                println!(
                    "ORPHAN   {}: no scenario for this snapshot; delete it, or run with --update",
                    orphan.display()
                );
            }
        }
    }
    let mut summary = format!("{passed} passed, {} failed", failed + errors + orphans);
    if written > 0 {
        let _ = write!(summary, ", {written} written");
    }
    println!("\n{summary}");
    Ok(if errors > 0 {
        EXIT_ERROR
    } else if failed + orphans > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Adds the scenario files under `path` (itself, if it is a file).
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_file() {
        out.push(normalize(path));
        return Ok(());
    }
    let entries =
        std::fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", path.display()))?;
        let child = entry.path();
        if child.is_dir() {
            collect(&child, out)?;
        } else if child.extension().is_some_and(|e| e == "py") {
            out.push(normalize(&child));
        }
    }
    Ok(())
}

/// The path without `./` components, so a snapshot's key does not depend on how it was named.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Where a scenario's snapshot lives: SNAPSHOTS/<scenario path>.snap.
fn snapshot_path(snapshots: &Path, scenario: &Path) -> PathBuf {
    let relative: PathBuf = scenario
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect();
    snapshots.join(relative.with_extension("snap"))
}

/// Snapshot files under the part of SNAPSHOTS that mirrors `dir` whose scenario is gone.
fn orphan_snapshots(
    snapshots: &Path,
    dir: &Path,
    scenarios: &[PathBuf],
) -> anyhow::Result<Vec<PathBuf>> {
    let mirror = snapshot_path(snapshots, &normalize(dir)).with_extension("");
    let mut found = Vec::new();
    if !mirror.is_dir() {
        return Ok(found);
    }
    let mut stack = vec![mirror];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current)
            .with_context(|| format!("cannot read {}", current.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot read {}", current.display()))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "snap")
                && !scenarios
                    .iter()
                    .any(|s| snapshot_path(snapshots, s) == path)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The words of a scenario's `# weft:` pragma (empty without one).
pub(crate) fn pragma_words(scenario: &Path) -> anyhow::Result<Vec<String>> {
    let source = std::fs::read_to_string(scenario)
        .with_context(|| format!("cannot read {}", scenario.display()))?;
    let Some(flags) = pragma(&source) else {
        return Ok(Vec::new());
    };
    let words = shlex::split(flags).ok_or_else(|| {
        anyhow::anyhow!(
            "{}: the `# weft:` pragma has unbalanced quotes",
            scenario.display()
        )
    })?;
    if words
        .iter()
        .any(|w| w == "--time-limit" || w.starts_with("--time-limit="))
    {
        anyhow::bail!(
            "{}: --time-limit is not allowed in a `# weft:` pragma: it makes reports depend on the machine; use --max-schedules",
            scenario.display()
        );
    }
    Ok(words)
}

/// The `# weft:` pragma of a scenario: the options after it, from the leading comment lines.
fn pragma(source: &str) -> Option<&str> {
    source
        .lines()
        .take_while(|line| line.starts_with('#') || line.trim().is_empty())
        .find_map(|line| line.strip_prefix(PRAGMA))
        .map(str::trim)
}

/// The snapshot text of a scenario: an insta-style header and the explore report.
fn snapshot_text(scenario: &Path) -> Result<String, String> {
    let words = pragma_words(scenario).map_err(|e| format!("{e:#}"))?;
    let parsed = Pragma::try_parse_from(&words).map_err(|e| {
        format!(
            "{}: invalid `# weft:` pragma: {}",
            scenario.display(),
            e.to_string().trim_end()
        )
    })?;
    let config = parsed.search.config().map_err(|e| e.to_string())?;
    let observers = &parsed.search.common.observe;
    let program = crate::load(scenario, observers).map_err(|e| format!("{e:#}"))?;
    let report = weft_sched::explore(program, &config);
    let body = render::explore(
        scenario,
        &config,
        &report,
        &render::ExploreView {
            max_outcomes: 0,
            observers,
            replay_flags: &parsed.search.common.replay_flags(),
            pragma: &words,
        },
    );
    let mut command = format!("weft explore {}", scenario.display());
    for word in &words {
        command.push(' ');
        command.push_str(&render::shell_word(word));
    }
    Ok(format!(
        "---\nsource: {}\nexpression: {}\n---\n{body}",
        scenario.display(),
        serde_json::to_string(&command).expect("strings serialize")
    ))
}

fn check_one(scenario: &Path, snapshot: &Path, update: bool) -> Verdict {
    let text = match snapshot_text(scenario) {
        Ok(text) => text,
        Err(message) => return Verdict::Error(format!("  {message}")),
    };
    let existing = std::fs::read_to_string(snapshot).ok();
    if existing.as_deref() == Some(text.as_str()) {
        let _ = std::fs::remove_file(snapshot.with_extension("snap.new"));
        return Verdict::Passed;
    }
    if update {
        let write = || -> std::io::Result<()> {
            if let Some(parent) = snapshot.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(snapshot, &text)?;
            let _ = std::fs::remove_file(snapshot.with_extension("snap.new"));
            Ok(())
        };
        return match write() {
            Ok(()) if existing.is_some() => Verdict::Written("updated"),
            Ok(()) => Verdict::Written("created"),
            Err(e) => Verdict::Error(format!("  cannot write {}: {e}", snapshot.display())),
        };
    }
    let Some(existing) = existing else {
        return Verdict::Failed(format!(
            "  no snapshot at {}: run `weft check {} --update` to create it",
            snapshot.display(),
            scenario.display()
        ));
    };
    let pending = snapshot.with_extension("snap.new");
    let _ = std::fs::write(&pending, &text);
    let diff = similar::TextDiff::from_lines(&existing, &text)
        .unified_diff()
        .context_radius(3)
        .header(
            &snapshot.display().to_string(),
            &format!("{} (now)", scenario.display()),
        )
        .to_string();
    Verdict::Failed(format!(
        "{diff}  the new report is in {} (review with `cargo insta review`, or accept with --update)",
        pending.display()
    ))
}
