//! Random scenarios for the DFS-against-DPOR soundness campaign (`tests/soundness.rs`,
//! `examples/soundness.rs`): from a SplitMix64 seed, a small program of 2–3 threads mixing
//! every construct family weft supports, kept as data (statements with the module-level
//! objects they need) so a disagreement can be shrunk by deleting statements and threads and
//! rendered again.
//!
//! Sets are not in weft's subset (no `set()`, no set displays), so the set family is a dict
//! used as a set (`seen[k] = True`, `seen.pop(k, None)`, `k in seen`, `len(seen)`), and
//! `concurrent.futures.wait` is not supported, so the pool family has no `wait`.
#![allow(dead_code)]

pub(crate) mod campaign;

use std::fmt::Write as _;

use weft_sched::SplitMix64;

/// A construct family: what a statement exercises (a lock statement exercises its inner
/// statement's family too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Family {
    Global,
    InstanceAttr,
    ClassAttr,
    ListItem,
    ListShape,
    DictItem,
    DictShape,
    SetLike,
    Lock,
    RLock,
    Semaphore,
    Event,
    Condition,
    Barrier,
    Timer,
    Queue,
    Pool,
    ThreadLife,
    Daemon,
    Print,
}

impl Family {
    /// Every family, in report order.
    pub(crate) const ALL: [Family; 20] = [
        Family::Global,
        Family::InstanceAttr,
        Family::ClassAttr,
        Family::ListItem,
        Family::ListShape,
        Family::DictItem,
        Family::DictShape,
        Family::SetLike,
        Family::Lock,
        Family::RLock,
        Family::Semaphore,
        Family::Event,
        Family::Condition,
        Family::Barrier,
        Family::Timer,
        Family::Queue,
        Family::Pool,
        Family::ThreadLife,
        Family::Daemon,
        Family::Print,
    ];

    /// A short name for reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Family::Global => "globals",
            Family::InstanceAttr => "instance attributes",
            Family::ClassAttr => "class attributes",
            Family::ListItem => "list items",
            Family::ListShape => "list shape",
            Family::DictItem => "dict items",
            Family::DictShape => "dict shape",
            Family::SetLike => "sets (dict as set)",
            Family::Lock => "Lock",
            Family::RLock => "RLock",
            Family::Semaphore => "Semaphore/BoundedSemaphore",
            Family::Event => "Event",
            Family::Condition => "Condition",
            Family::Barrier => "Barrier",
            Family::Timer => "Timer",
            Family::Queue => "queue.Queue",
            Family::Pool => "ThreadPoolExecutor",
            Family::ThreadLife => "thread lifecycle (join/is_alive/enumerate/active_count)",
            Family::Daemon => "daemon threads",
            Family::Print => "print/logging",
        }
    }
}

/// A module-level object (or import, or helper function) a statement needs; the prelude
/// declares exactly the needed ones, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    Queue,
    Logging,
    Futures,
    AsCompleted,
    Globals,
    Classes,
    List,
    Dict,
    Seen,
    Lock,
    Lock2,
    RLock,
    Sem,
    BSem,
    Event,
    Cond,
    Barrier,
    Timer,
    Pool,
    Task,
    TaskX,
    Helper,
    /// The worker's `peer` parameter: the thread started just before it.
    Peer,
}

impl Need {
    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// The needs of a statement, as a bit set of [`Need`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Needs(u32);

impl Needs {
    fn has(self, need: Need) -> bool {
        self.0 & need.bit() != 0
    }
    fn with(self, need: Need) -> Needs {
        Needs(self.0 | need.bit())
    }
    fn union(self, other: Needs) -> Needs {
        Needs(self.0 | other.0)
    }
}

/// One statement of a thread body (possibly several lines, indented relative to the body).
#[derive(Clone, Debug)]
pub(crate) struct Stmt {
    /// Which templates it was built from (a lock statement lists its inner statement's too):
    /// what classifies a shrunk disagreement.
    pub(crate) labels: Vec<&'static str>,
    /// The families it exercises.
    pub(crate) families: Vec<Family>,
    /// The Python lines.
    pub(crate) code: String,
    needs: Needs,
    /// The main-thread variables `t{id}` of the threads it names (main-thread statements).
    threads: Vec<usize>,
    /// Simpler statements the shrinker may put in its place (a lock statement's inner one).
    pub(crate) simpler: Vec<Stmt>,
}

impl Stmt {
    fn new(label: &'static str, family: Family, code: String, needs: &[Need]) -> Stmt {
        Stmt {
            labels: vec![label],
            families: vec![family],
            code,
            needs: needs.iter().fold(Needs::default(), |n, &need| n.with(need)),
            threads: Vec::new(),
            simpler: Vec::new(),
        }
    }

    /// A statement `code` wrapped around `inner` (`code` has a line `{inner}` where the inner
    /// lines go, indented as that line is). The shrinker may replace it by `inner` alone or by
    /// the wrapper around the filler.
    fn around(
        label: &'static str,
        family: Family,
        code: &str,
        needs: &[Need],
        inner: Stmt,
    ) -> Stmt {
        let filler = Stmt::filler();
        let mut around_filler = Stmt::new(label, family, wrap(code, &filler.code), needs);
        around_filler.labels.push(filler.labels[0]);
        let mut stmt = Stmt::new(label, family, wrap(code, &inner.code), needs);
        stmt.labels.extend(inner.labels.iter().copied());
        stmt.families.extend(inner.families.iter().copied());
        stmt.needs = stmt.needs.union(inner.needs);
        stmt.simpler.push(inner);
        stmt.simpler.push(around_filler);
        stmt
    }

    /// The least a thread can do that another thread can observe: one print. It exercises no
    /// family (a shrunk scenario's families are the ones that matter).
    fn filler() -> Stmt {
        Stmt {
            labels: vec!["filler"],
            families: Vec::new(),
            code: "print(0)\n".to_string(),
            needs: Needs::default(),
            threads: Vec::new(),
            simpler: Vec::new(),
        }
    }

    fn naming(mut self, threads: &[usize]) -> Stmt {
        self.threads.extend_from_slice(threads);
        self
    }

    fn or_simpler(mut self, simpler: Stmt) -> Stmt {
        self.simpler.push(simpler);
        self
    }
}

/// One spawned thread: `worker{id}` run by `t{id}`.
#[derive(Clone, Debug)]
pub(crate) struct ThreadSpec {
    /// Its id, kept when other threads are shrunk away (names stay stable).
    pub(crate) id: usize,
    pub(crate) daemon: bool,
    /// Whether the main thread joins it (always, unless it is a daemon).
    pub(crate) joined: bool,
    pub(crate) body: Vec<Stmt>,
}

/// A generated scenario: the threads, the main thread's statements after starting them and
/// after joining them, and the parameters of the module-level objects.
#[derive(Clone, Debug)]
pub(crate) struct Scenario {
    pub(crate) threads: Vec<ThreadSpec>,
    pub(crate) after_start: Vec<Stmt>,
    pub(crate) after_join: Vec<Stmt>,
    /// `--print atomic` (an exploration option, not part of the source).
    pub(crate) print_atomic: bool,
    /// Whether the functions receive the module-level objects they use as parameters (read
    /// once, before any thread starts) instead of reading the globals at every use: each
    /// global read is a scheduling point, which multiplies DFS's interleavings.
    pub(crate) objects_as_arguments: bool,
    pool_workers: u32,
    queue_size: u32,
    sem_value: u32,
    barrier_parties: u32,
}

/// Where a statement runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// In `worker{id}`; `has_peer` when thread `id - 1` exists.
    Worker {
        has_peer: bool,
    },
    AfterStart,
    AfterJoin,
}

/// What a statement generator knows: the random stream, where it runs and a small number
/// particular to the thread (`k`) that makes the threads' writes and prints tell apart.
struct Gen<'a> {
    rng: &'a mut SplitMix64,
    role: Role,
    k: usize,
    /// The spawned threads' ids (main-thread statements may name them).
    ids: &'a [usize],
    /// The scenario's theme: the few families most of its statements come from, so that
    /// threads meet on the same objects.
    palette: &'a [Family],
}

/// The families a statement may come from.
const STATEMENT_FAMILIES: [Family; 19] = [
    Family::Global,
    Family::InstanceAttr,
    Family::ClassAttr,
    Family::ListItem,
    Family::ListShape,
    Family::DictItem,
    Family::DictShape,
    Family::SetLike,
    Family::Lock,
    Family::RLock,
    Family::Semaphore,
    Family::Event,
    Family::Condition,
    Family::Barrier,
    Family::Timer,
    Family::Queue,
    Family::Pool,
    Family::ThreadLife,
    Family::Print,
];

/// The families of plain shared data (and print): what a critical section holds.
const DATA_FAMILIES: [Family; 9] = [
    Family::Global,
    Family::InstanceAttr,
    Family::ClassAttr,
    Family::ListItem,
    Family::ListShape,
    Family::DictItem,
    Family::DictShape,
    Family::SetLike,
    Family::Print,
];

impl Gen<'_> {
    fn pick<'s>(&mut self, options: &[&'s str]) -> &'s str {
        options[self.rng.below(options.len())]
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.rng.below(n) == 0
    }

    /// A random statement: mostly of the palette's families, sometimes of any.
    fn stmt(&mut self) -> Stmt {
        let family = if self.rng.below(5) != 0 {
            self.palette[self.rng.below(self.palette.len())]
        } else {
            STATEMENT_FAMILIES[self.rng.below(STATEMENT_FAMILIES.len())]
        };
        self.of(family)
    }

    /// A statement on plain shared data (or a print): what a critical section holds; half
    /// the time of the palette's data families, if it has any.
    fn data(&mut self) -> Stmt {
        let themed: Vec<Family> = (self.palette.iter().copied())
            .filter(|f| DATA_FAMILIES.contains(f))
            .collect();
        let family = if !themed.is_empty() && self.one_in(2) {
            themed[self.rng.below(themed.len())]
        } else {
            DATA_FAMILIES[self.rng.below(DATA_FAMILIES.len())]
        };
        self.of(family)
    }

    fn of(&mut self, family: Family) -> Stmt {
        match family {
            Family::Global => self.global(),
            Family::InstanceAttr => self.instance_attr(),
            Family::ClassAttr => self.class_attr(),
            Family::ListItem => self.list_item(),
            Family::ListShape => self.list_shape(),
            Family::DictItem => self.dict_item(),
            Family::DictShape => self.dict_shape(),
            Family::SetLike => self.set_like(),
            Family::Lock => self.lock(),
            Family::RLock => self.rlock(),
            Family::Semaphore => self.semaphore(),
            Family::Event => self.event(),
            Family::Condition => self.condition(),
            Family::Barrier => self.barrier(),
            Family::Timer => self.timer(),
            Family::Queue => self.queue(),
            Family::Pool => self.pool(),
            Family::ThreadLife => self.thread_life(),
            Family::Daemon | Family::Print => self.print(),
        }
    }

    fn global(&mut self) -> Stmt {
        let k = self.k;
        let var = self.pick(&["x", "x", "y"]);
        let other = if var == "x" { "y" } else { "x" };
        let (label, code) = match self.rng.below(7) {
            0 => ("global.read", format!("print({var})\n")),
            1 => ("global.write", format!("{var} = {}\n", k + 10)),
            2 => ("global.augassign", format!("{var} += 1\n")),
            3 => (
                "global.read_modify_write",
                format!("tmp = {var}\n{var} = tmp + {}\n", k + 1),
            ),
            4 => ("global.copy", format!("{other} = {var} + 1\n")),
            5 => ("global.print_both", "print(x, y)\n".to_string()),
            _ => (
                "global.branch",
                format!("if {var} > 0:\n    {other} += 1\n"),
            ),
        };
        Stmt::new(label, Family::Global, code, &[Need::Globals])
    }

    fn instance_attr(&mut self) -> Stmt {
        let k = self.k;
        let target = self.pick(&["obj", "obj", "base"]);
        let (label, code) = match self.rng.below(5) {
            0 => ("instance.augassign", format!("{target}.val += 1\n")),
            1 => ("instance.write", format!("{target}.val = {}\n", k + 10)),
            2 => ("instance.read", format!("print({target}.val)\n")),
            3 => ("instance.method", format!("{target}.bump()\n")),
            _ => (
                "instance.read_modify_write",
                format!("tmp = {target}.val\n{target}.val = tmp + {}\n", k + 1),
            ),
        };
        Stmt::new(label, Family::InstanceAttr, code, &[Need::Classes])
    }

    fn class_attr(&mut self) -> Stmt {
        let k = self.k;
        let attr = self.pick(&["shared", "shared", "flag"]);
        let value = if attr == "flag" {
            if k.is_multiple_of(2) { "False" } else { "True" }.to_string()
        } else {
            (k + 10).to_string()
        };
        let (label, code) = match self.rng.below(10) {
            0 => ("class.write_via_class", format!("Base.{attr} = {value}\n")),
            1 => (
                "class.write_via_subclass",
                format!("Sub.{attr} = {value}\n"),
            ),
            2 => (
                "class.write_via_instance",
                format!("obj.{attr} = {value}\n"),
            ),
            3 => (
                "class.augassign_via_class",
                "Base.shared += 1\n".to_string(),
            ),
            4 => ("class.read_via_instance", format!("print(obj.{attr})\n")),
            5 => (
                "class.read_via_base_instance",
                format!("print(base.{attr})\n"),
            ),
            6 => ("class.read_via_subclass", format!("print(Sub.{attr})\n")),
            7 => ("class.read_via_class", format!("print(Base.{attr})\n")),
            8 => (
                "class.read_instance_write_class",
                format!("tmp = obj.shared\nBase.shared = tmp + {}\n", k + 1),
            ),
            _ => ("class.read_via_type", format!("print(type(obj).{attr})\n")),
        };
        Stmt::new(label, Family::ClassAttr, code, &[Need::Classes])
    }

    fn list_item(&mut self) -> Stmt {
        let k = self.k;
        let i = self.rng.below(3);
        let (label, code, globals) = match self.rng.below(6) {
            0 => (
                "list.item_rmw_fixed",
                format!("lst[{i}] = lst[{i}] + 1\n"),
                false,
            ),
            1 => (
                "list.item_augassign",
                format!("lst[{}] += 1\n", k % 3),
                false,
            ),
            2 => (
                "list.item_rmw_last",
                "i = len(lst) - 1\nlst[i] = lst[i] + 1\n".to_string(),
                false,
            ),
            3 => (
                "list.item_rmw_by_global",
                "i = x % 3\nlst[i] = lst[i] + 1\n".to_string(),
                true,
            ),
            4 => ("list.item_read", format!("print(lst[{i}])\n"), false),
            _ => ("list.item_write", format!("lst[{i}] = {}\n", k + 10), false),
        };
        let needs: &[Need] = if globals {
            &[Need::List, Need::Globals]
        } else {
            &[Need::List]
        };
        Stmt::new(label, Family::ListItem, code, needs)
    }

    fn list_shape(&mut self) -> Stmt {
        let k = self.k;
        let (label, code) = match self.rng.below(11) {
            0 => ("list.append", format!("lst.append({k})\n")),
            1 => ("list.pop", "lst.pop()\n".to_string()),
            2 => ("list.insert", format!("lst.insert(0, {k})\n")),
            3 => ("list.len", "print(len(lst))\n".to_string()),
            4 => ("list.contains", format!("print({k} in lst)\n")),
            5 => ("list.iterate", "for v in lst:\n    print(v)\n".to_string()),
            6 => ("list.sort", "lst.sort()\n".to_string()),
            7 => ("list.clear", "lst.clear()\n".to_string()),
            8 => ("list.print", "print(lst)\n".to_string()),
            9 => ("list.sum", "print(sum(lst))\n".to_string()),
            _ => (
                "list.pop_front_if_any",
                "if lst:\n    lst.pop(0)\n".to_string(),
            ),
        };
        Stmt::new(label, Family::ListShape, code, &[Need::List])
    }

    fn dict_item(&mut self) -> Stmt {
        let k = self.k;
        let key = self.pick(&["a", "a", "b"]);
        let (label, code) = match self.rng.below(4) {
            0 => ("dict.item_augassign", format!("d[\"{key}\"] += 1\n")),
            1 => ("dict.item_write", format!("d[\"{key}\"] = {}\n", k + 10)),
            2 => ("dict.item_read", format!("print(d[\"{key}\"])\n")),
            _ => (
                "dict.item_rmw",
                format!("tmp = d[\"{key}\"]\nd[\"{key}\"] = tmp + 1\n"),
            ),
        };
        Stmt::new(label, Family::DictItem, code, &[Need::Dict])
    }

    fn dict_shape(&mut self) -> Stmt {
        let k = self.k;
        let key = self.pick(&["b", "c", "c"]);
        let (label, code) = match self.rng.below(10) {
            0 => ("dict.contains", format!("print(\"{key}\" in d)\n")),
            1 => ("dict.len", "print(len(d))\n".to_string()),
            2 => ("dict.del", format!("del d[\"{key}\"]\n")),
            3 => ("dict.pop_default", format!("d.pop(\"{key}\", None)\n")),
            4 => (
                "dict.iterate",
                "for key in d:\n    print(key)\n".to_string(),
            ),
            5 => ("dict.get", format!("print(d.get(\"{key}\"))\n")),
            6 => ("dict.insert", format!("d[\"{key}\"] = {k}\n")),
            7 => ("dict.sorted_keys", "print(sorted(d))\n".to_string()),
            8 => ("dict.setdefault", format!("d.setdefault(\"{key}\", {k})\n")),
            _ => ("dict.clear", "d.clear()\n".to_string()),
        };
        Stmt::new(label, Family::DictShape, code, &[Need::Dict])
    }

    fn set_like(&mut self) -> Stmt {
        let k = self.k;
        let item = if self.one_in(2) { k } else { (k + 1) % 3 };
        let (label, code) = match self.rng.below(5) {
            0 => ("set.add", format!("seen[{item}] = True\n")),
            1 => ("set.discard", format!("seen.pop({item}, None)\n")),
            2 => ("set.contains", format!("print({item} in seen)\n")),
            3 => ("set.len", "print(len(seen))\n".to_string()),
            _ => ("set.sorted", "print(sorted(seen))\n".to_string()),
        };
        Stmt::new(label, Family::SetLike, code, &[Need::Seen])
    }

    fn lock(&mut self) -> Stmt {
        let inner = self.data();
        match self.rng.below(9) {
            0 | 1 => Stmt::around(
                "lock.with",
                Family::Lock,
                "with lock:\n    {inner}\n",
                &[Need::Lock],
                inner,
            ),
            2 => Stmt::around(
                "lock.acquire_release",
                Family::Lock,
                "lock.acquire()\n{inner}\nlock.release()\n",
                &[Need::Lock],
                inner,
            ),
            3 => Stmt::around(
                "lock.nonblocking",
                Family::Lock,
                "if lock.acquire(False):\n    {inner}\n    lock.release()\n",
                &[Need::Lock],
                inner,
            ),
            4 => Stmt::around(
                "lock.timeout",
                Family::Lock,
                "if lock.acquire(timeout=1):\n    {inner}\n    lock.release()\n",
                &[Need::Lock],
                inner,
            ),
            5 => Stmt::new(
                "lock.locked",
                Family::Lock,
                "print(lock.locked())\n".to_string(),
                &[Need::Lock],
            ),
            6 => Stmt::around(
                "lock.nested_ab",
                Family::Lock,
                "with lock:\n    with lock2:\n        {inner}\n",
                &[Need::Lock, Need::Lock2],
                inner,
            ),
            7 => Stmt::around(
                "lock.nested_ba",
                Family::Lock,
                "with lock2:\n    with lock:\n        {inner}\n",
                &[Need::Lock, Need::Lock2],
                inner,
            ),
            _ => Stmt::new(
                "lock.release_unowned",
                Family::Lock,
                "lock.release()\n".to_string(),
                &[Need::Lock],
            ),
        }
    }

    fn rlock(&mut self) -> Stmt {
        let inner = self.data();
        match self.rng.below(7) {
            0 | 1 => Stmt::around(
                "rlock.with_nested",
                Family::RLock,
                "with rlock:\n    with rlock:\n        {inner}\n",
                &[Need::RLock],
                inner,
            ),
            2 => Stmt::around(
                "rlock.acquire_twice",
                Family::RLock,
                "rlock.acquire()\nrlock.acquire()\n{inner}\nrlock.release()\nrlock.release()\n",
                &[Need::RLock],
                inner,
            ),
            3 => Stmt::around(
                "rlock.with",
                Family::RLock,
                "with rlock:\n    {inner}\n",
                &[Need::RLock],
                inner,
            ),
            4 => Stmt::around(
                "rlock.timeout",
                Family::RLock,
                "if rlock.acquire(timeout=1):\n    {inner}\n    rlock.release()\n",
                &[Need::RLock],
                inner,
            ),
            5 => Stmt::around(
                "rlock.nonblocking",
                Family::RLock,
                "if rlock.acquire(False):\n    {inner}\n    rlock.release()\n",
                &[Need::RLock],
                inner,
            ),
            _ => Stmt::new(
                "rlock.release_unowned",
                Family::RLock,
                "rlock.release()\n".to_string(),
                &[Need::RLock],
            ),
        }
    }

    fn semaphore(&mut self) -> Stmt {
        match self.rng.below(8) {
            0 => {
                let inner = self.data();
                Stmt::around(
                    "sem.with",
                    Family::Semaphore,
                    "with sem:\n    {inner}\n",
                    &[Need::Sem],
                    inner,
                )
            }
            1 => Stmt::new(
                "sem.acquire",
                Family::Semaphore,
                "sem.acquire()\n".to_string(),
                &[Need::Sem],
            ),
            2 => Stmt::new(
                "sem.release",
                Family::Semaphore,
                "sem.release()\n".to_string(),
                &[Need::Sem],
            ),
            3 => {
                let inner = self.data();
                Stmt::around(
                    "sem.timeout",
                    Family::Semaphore,
                    "if sem.acquire(timeout=1):\n    {inner}\n    sem.release()\n",
                    &[Need::Sem],
                    inner,
                )
            }
            4 => Stmt::new(
                "sem.nonblocking",
                Family::Semaphore,
                "print(sem.acquire(False))\n".to_string(),
                &[Need::Sem],
            ),
            5 => Stmt::new(
                "bsem.release",
                Family::Semaphore,
                "bsem.release()\n".to_string(),
                &[Need::BSem],
            ),
            6 => {
                let inner = self.data();
                Stmt::around(
                    "bsem.with",
                    Family::Semaphore,
                    "with bsem:\n    {inner}\n",
                    &[Need::BSem],
                    inner,
                )
            }
            _ => Stmt::new(
                "bsem.acquire",
                Family::Semaphore,
                "bsem.acquire()\n".to_string(),
                &[Need::BSem],
            ),
        }
    }

    fn event(&mut self) -> Stmt {
        let (label, code) = match self.rng.below(6) {
            0 | 1 => ("event.set", "ev.set()\n"),
            2 => ("event.clear", "ev.clear()\n"),
            3 => ("event.wait", "ev.wait()\n"),
            4 => ("event.wait_timeout", "print(ev.wait(1))\n"),
            _ => ("event.is_set", "print(ev.is_set())\n"),
        };
        Stmt::new(label, Family::Event, code.to_string(), &[Need::Event])
    }

    fn condition(&mut self) -> Stmt {
        let (label, code, globals) = match self.rng.below(8) {
            0 => ("cond.wait", "with cond:\n    cond.wait()\n", false),
            1 => (
                "cond.wait_timeout",
                "with cond:\n    print(cond.wait(1))\n",
                false,
            ),
            2 => ("cond.notify", "with cond:\n    cond.notify()\n", false),
            3 => (
                "cond.notify_all",
                "with cond:\n    cond.notify_all()\n",
                false,
            ),
            4 => (
                "cond.update_notify_all",
                "with cond:\n    x += 1\n    cond.notify_all()\n",
                true,
            ),
            5 => (
                "cond.wait_for",
                "with cond:\n    cond.wait_for(lambda: x > 0)\n",
                true,
            ),
            6 => (
                "cond.wait_for_timeout",
                "with cond:\n    print(cond.wait_for(lambda: x > 0, 1))\n",
                true,
            ),
            _ => ("cond.notify_unowned", "cond.notify()\n", false),
        };
        let needs: &[Need] = if globals {
            &[Need::Cond, Need::Globals]
        } else {
            &[Need::Cond]
        };
        Stmt::new(label, Family::Condition, code.to_string(), needs)
    }

    fn barrier(&mut self) -> Stmt {
        let (label, code) = match self.rng.below(6) {
            0 => ("barrier.wait", "bar.wait()\n"),
            1 => ("barrier.wait_index", "print(bar.wait())\n"),
            2 => (
                "barrier.wait_timeout",
                "try:\n    bar.wait(1)\nexcept threading.BrokenBarrierError:\n    print(\"broken\")\n",
            ),
            3 => ("barrier.abort", "bar.abort()\n"),
            4 => ("barrier.broken", "print(bar.broken)\n"),
            _ => ("barrier.n_waiting", "print(bar.n_waiting)\n"),
        };
        Stmt::new(label, Family::Barrier, code.to_string(), &[Need::Barrier])
    }

    fn timer(&mut self) -> Stmt {
        let (label, code) = match self.rng.below(3) {
            0 | 1 => ("timer.start", "timer.start()\n"),
            _ => ("timer.cancel", "timer.cancel()\n"),
        };
        Stmt::new(label, Family::Timer, code.to_string(), &[Need::Timer])
    }

    fn queue(&mut self) -> Stmt {
        let k = self.k;
        let (label, code) = match self.rng.below(12) {
            0 | 1 => ("queue.put", format!("q.put({k})\n")),
            2 => ("queue.get", "print(q.get())\n".to_string()),
            3 => ("queue.get_timeout", "print(q.get(timeout=1))\n".to_string()),
            4 => ("queue.put_nowait", format!("q.put_nowait({k})\n")),
            5 => ("queue.get_nowait", "print(q.get_nowait())\n".to_string()),
            6 => ("queue.task_done", "q.task_done()\n".to_string()),
            7 => ("queue.join", "q.join()\n".to_string()),
            8 => ("queue.qsize", "print(q.qsize())\n".to_string()),
            9 => ("queue.empty", "print(q.empty())\n".to_string()),
            10 => (
                "queue.get_nowait_except",
                "try:\n    print(q.get_nowait())\nexcept queue.Empty:\n    print(\"empty\")\n"
                    .to_string(),
            ),
            _ => (
                "queue.get_task_done",
                "q.get()\nq.task_done()\n".to_string(),
            ),
        };
        Stmt::new(label, Family::Queue, code, &[Need::Queue])
    }

    fn pool(&mut self) -> Stmt {
        let k = self.k;
        match self.rng.below(11) {
            0 | 1 => Stmt::new(
                "pool.submit_result",
                Family::Pool,
                format!("f = pool.submit(task, {k})\nprint(f.result())\n"),
                &[Need::Pool, Need::Task],
            ),
            2 => Stmt::new(
                "pool.submit_shared",
                Family::Pool,
                format!("pool.submit(task_x, {k})\n"),
                &[Need::Pool, Need::TaskX, Need::Globals],
            ),
            3 => Stmt::new(
                "pool.map",
                Family::Pool,
                format!("print(list(pool.map(task, [{k}, {}])))\n", k + 1),
                &[Need::Pool, Need::Task],
            ),
            4 => Stmt::new(
                "pool.as_completed",
                Family::Pool,
                format!(
                    "fs = [pool.submit(task, i) for i in range({k}, {})]\nfor f in as_completed(fs):\n    print(f.result())\n",
                    k + 2
                ),
                &[Need::Pool, Need::Task, Need::AsCompleted],
            ),
            5 => Stmt::new(
                "pool.done",
                Family::Pool,
                format!("f = pool.submit(task, {k})\nprint(f.done())\n"),
                &[Need::Pool, Need::Task],
            ),
            6 => Stmt::new(
                "pool.result_timeout",
                Family::Pool,
                format!("f = pool.submit(task, {k})\nprint(f.result(timeout=1))\n"),
                &[Need::Pool, Need::Task],
            ),
            7 => Stmt::new(
                "pool.cancel",
                Family::Pool,
                format!("f = pool.submit(task_x, {k})\nprint(f.cancel())\n"),
                &[Need::Pool, Need::TaskX, Need::Globals],
            ),
            8 => {
                let wait = self.pick(&["", "wait=False"]);
                Stmt::new(
                    "pool.shutdown",
                    Family::Pool,
                    format!("pool.shutdown({wait})\n"),
                    &[Need::Pool],
                )
            }
            9 => Stmt::new(
                "pool.local_as_completed",
                Family::Pool,
                "with ThreadPoolExecutor(max_workers=2) as p:\n    fs = [p.submit(task, i) for i in range(2)]\n    for f in as_completed(fs):\n        print(f.result())\n"
                    .to_string(),
                &[Need::Futures, Need::Task, Need::AsCompleted],
            ),
            _ => Stmt::new(
                "pool.local_map",
                Family::Pool,
                "with ThreadPoolExecutor(max_workers=2) as p:\n    print(list(p.map(task, range(2))))\n"
                    .to_string(),
                &[Need::Futures, Need::Task],
            ),
        }
    }

    fn thread_life(&mut self) -> Stmt {
        match self.role {
            Role::Worker { has_peer } => {
                let choice = self.rng.below(if has_peer { 7 } else { 3 });
                let (label, code, peer) = match choice {
                    0 => (
                        "life.active_count",
                        "print(threading.active_count())\n",
                        false,
                    ),
                    1 => (
                        "life.enumerate",
                        "print(len(threading.enumerate()))\n",
                        false,
                    ),
                    2 => {
                        return Stmt::new(
                            "life.helper_thread",
                            Family::ThreadLife,
                            "h = threading.Thread(target=helper)\nh.start()\nh.join()\n"
                                .to_string(),
                            &[Need::Helper],
                        );
                    }
                    3 => ("life.peer_join", "peer.join()\n", true),
                    4 => {
                        let simpler = Stmt::new(
                            "life.peer_is_alive",
                            Family::ThreadLife,
                            "print(peer.is_alive())\n".to_string(),
                            &[Need::Peer],
                        );
                        return Stmt::new(
                            "life.peer_join_timeout_is_alive",
                            Family::ThreadLife,
                            "peer.join(1)\nprint(peer.is_alive())\n".to_string(),
                            &[Need::Peer],
                        )
                        .or_simpler(simpler);
                    }
                    5 => ("life.peer_is_alive", "print(peer.is_alive())\n", true),
                    _ => ("life.peer_join_timeout", "peer.join(1)\n", true),
                };
                let needs: &[Need] = if peer { &[Need::Peer] } else { &[] };
                Stmt::new(label, Family::ThreadLife, code.to_string(), needs)
            }
            Role::AfterStart | Role::AfterJoin => {
                let id = self.ids[self.rng.below(self.ids.len())];
                let (label, code, named) = match self.rng.below(7) {
                    0 | 1 => {
                        let simpler = Stmt::new(
                            "life.is_alive",
                            Family::ThreadLife,
                            format!("print(t{id}.is_alive())\n"),
                            &[],
                        )
                        .naming(&[id]);
                        return Stmt::new(
                            "life.join_timeout_is_alive",
                            Family::ThreadLife,
                            format!("t{id}.join(5)\nprint(t{id}.is_alive())\n"),
                            &[],
                        )
                        .naming(&[id])
                        .or_simpler(simpler);
                    }
                    2 => ("life.join_timeout", format!("t{id}.join(5)\n"), true),
                    3 => ("life.is_alive", format!("print(t{id}.is_alive())\n"), true),
                    4 => (
                        "life.active_count",
                        "print(threading.active_count())\n".to_string(),
                        false,
                    ),
                    5 => (
                        "life.enumerate",
                        "print(len(threading.enumerate()))\n".to_string(),
                        false,
                    ),
                    _ => (
                        "life.enumerate_names",
                        "print([t.name for t in threading.enumerate()])\n".to_string(),
                        false,
                    ),
                };
                let stmt = Stmt::new(label, Family::ThreadLife, code, &[]);
                if named { stmt.naming(&[id]) } else { stmt }
            }
        }
    }

    fn print(&mut self) -> Stmt {
        let k = self.k;
        let (label, code, needs): (_, _, &[Need]) = match self.rng.below(5) {
            0 | 1 => ("print.one", format!("print({k})\n"), &[]),
            2 => ("print.two", format!("print(\"w\", {k})\n"), &[]),
            3 => (
                "print.thread_name",
                "print(threading.current_thread().name)\n".to_string(),
                &[],
            ),
            _ => (
                "print.logging",
                format!("logging.warning(\"w%d\", {k})\n"),
                &[Need::Logging],
            ),
        };
        Stmt::new(label, Family::Print, code, needs)
    }

    /// A statement of the main thread after the joins: mostly an observation of the shared
    /// state the threads changed.
    fn observation(&mut self) -> Stmt {
        let (label, family, code, need) = match self.rng.below(9) {
            0 => (
                "observe.globals",
                Family::Global,
                "print(x, y)",
                Need::Globals,
            ),
            1 => (
                "observe.objects",
                Family::ClassAttr,
                "print(obj.val, obj.shared, base.shared, Base.shared, Sub.shared, obj.flag)",
                Need::Classes,
            ),
            2 => ("observe.list", Family::ListShape, "print(lst)", Need::List),
            3 => (
                "observe.dict",
                Family::DictShape,
                "print(sorted(d.items()))",
                Need::Dict,
            ),
            4 => (
                "observe.set",
                Family::SetLike,
                "print(sorted(seen))",
                Need::Seen,
            ),
            5 => (
                "observe.queue",
                Family::Queue,
                "print(q.qsize())",
                Need::Queue,
            ),
            6 => (
                "observe.event",
                Family::Event,
                "print(ev.is_set())",
                Need::Event,
            ),
            7 => (
                "observe.barrier",
                Family::Barrier,
                "print(bar.n_waiting, bar.broken)",
                Need::Barrier,
            ),
            _ => (
                "observe.semaphore",
                Family::Semaphore,
                "print(sem._value)",
                Need::Sem,
            ),
        };
        Stmt::new(label, family, format!("{code}\n"), &[need])
    }
}

/// A random scenario from `rng`.
pub(crate) fn scenario(rng: &mut SplitMix64) -> Scenario {
    let n_threads = 2 + usize::from(rng.below(8) == 0);
    let ids: Vec<usize> = (0..n_threads).collect();
    let palette: Vec<Family> = (0..[1, 2, 2, 3][rng.below(4)])
        .map(|_| STATEMENT_FAMILIES[rng.below(STATEMENT_FAMILIES.len())])
        .collect();
    let mut threads = Vec::new();
    for &id in &ids {
        let daemon = rng.below(6) == 0;
        let joined = !daemon || rng.below(2) == 0;
        let n_statements = [1, 1, 1, 2, 2, 2, 2, 3][rng.below(8)];
        let mut generator = Gen {
            rng,
            role: Role::Worker { has_peer: id > 0 },
            k: id,
            ids: &ids,
            palette: &palette,
        };
        let body = (0..n_statements).map(|_| generator.stmt()).collect();
        threads.push(ThreadSpec {
            id,
            daemon,
            joined,
            body,
        });
    }
    let n_after_start = [0, 0, 1, 1, 1, 2][rng.below(6)];
    let mut generator = Gen {
        rng,
        role: Role::AfterStart,
        k: 7,
        ids: &ids,
        palette: &palette,
    };
    let after_start = (0..n_after_start).map(|_| generator.stmt()).collect();
    let n_after_join = [0, 1, 1, 2][generator.rng.below(4)];
    generator.role = Role::AfterJoin;
    generator.k = 8;
    let after_join = (0..n_after_join)
        .map(|_| {
            if generator.one_in(2) {
                generator.observation()
            } else {
                generator.stmt()
            }
        })
        .collect();
    Scenario {
        threads,
        after_start,
        after_join,
        print_atomic: rng.below(3) != 0,
        objects_as_arguments: rng.below(5) != 0,
        pool_workers: 1 + u32::from(rng.below(2) == 0),
        queue_size: [0, 1, 2][rng.below(3)],
        sem_value: [0, 1, 1][rng.below(3)],
        barrier_parties: 2 + u32::from(rng.below(4) == 0),
    }
}

/// The module-level names a statement may use (besides the globals `x` and `y`), in the order
/// functions take them as parameters.
const MODULE_NAMES: &[&str] = &[
    "threading",
    "queue",
    "logging",
    "ThreadPoolExecutor",
    "as_completed",
    "Base",
    "Sub",
    "obj",
    "base",
    "lst",
    "d",
    "seen",
    "lock",
    "lock2",
    "rlock",
    "sem",
    "bsem",
    "ev",
    "cond",
    "bar",
    "q",
    "pool",
    "task",
    "task_x",
    "helper",
    "timer",
];

/// The module-level names `statements` use, in [`MODULE_NAMES`] order.
fn module_names<'s>(statements: impl IntoIterator<Item = &'s Stmt>) -> Vec<&'static str> {
    let mut used = vec![false; MODULE_NAMES.len()];
    for statement in statements {
        // Generated string literals are double-quoted without escapes: drop what they hold.
        let code: String = (statement.code.split('"').step_by(2))
            .collect::<Vec<_>>()
            .join(" ");
        let words = code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        for word in words {
            if let Some(index) = MODULE_NAMES.iter().position(|name| *name == word) {
                used[index] = true;
            }
        }
    }
    (MODULE_NAMES.iter().zip(used))
        .filter(|(_, used)| *used)
        .map(|(name, _)| *name)
        .collect()
}

/// `code` with its `{inner}` line replaced by the lines of `inner`, indented as that line.
fn wrap(code: &str, inner: &str) -> String {
    let mut text = String::new();
    for line in code.lines() {
        let trimmed = line.trim_start();
        if trimmed == "{inner}" {
            let indent = &line[..line.len() - trimmed.len()];
            for inner_line in inner.lines() {
                let _ = writeln!(text, "{indent}{inner_line}");
            }
        } else {
            let _ = writeln!(text, "{line}");
        }
    }
    text
}

/// The body of one function: its statements indented, `global x, y` first when they use the
/// globals, `pass` when empty.
fn function_body(out: &mut String, statements: &[Stmt]) {
    let needs = statements
        .iter()
        .fold(Needs::default(), |n, s| n.union(s.needs));
    if needs.has(Need::Globals) {
        out.push_str("    global x, y\n");
    }
    for statement in statements {
        for line in statement.code.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    if statements.is_empty() {
        out.push_str("    pass\n");
    }
}

impl Scenario {
    /// Every statement: the threads' bodies, then the main thread's.
    pub(crate) fn statements(&self) -> impl Iterator<Item = &Stmt> {
        self.threads
            .iter()
            .flat_map(|t| &t.body)
            .chain(&self.after_start)
            .chain(&self.after_join)
    }

    /// The families it exercises, in [`Family::ALL`] order.
    pub(crate) fn families(&self) -> Vec<Family> {
        let mut families: Vec<Family> = self
            .statements()
            .flat_map(|s| s.families.iter().copied())
            .collect();
        if self.threads.iter().any(|t| t.daemon) {
            families.push(Family::Daemon);
        }
        families.sort();
        families.dedup();
        families
    }

    /// The templates its statements were built from, sorted and deduplicated, with `daemon`
    /// when a thread is one: the class of a shrunk disagreement.
    pub(crate) fn labels(&self) -> Vec<&'static str> {
        let mut labels: Vec<&'static str> = self
            .statements()
            .flat_map(|s| s.labels.iter().copied())
            .collect();
        if self.threads.iter().any(|t| t.daemon) {
            labels.push("daemon");
        }
        labels.sort();
        labels.dedup();
        labels
    }

    /// How many statements it has.
    pub(crate) fn n_statements(&self) -> usize {
        self.statements().count()
    }

    /// `self` without one statement drawn from `rng` (the first valid one from there on).
    pub(crate) fn without_random_statement(&self, rng: &mut SplitMix64) -> Scenario {
        let positions = self.positions();
        let first = rng.below(positions.len());
        for offset in 0..positions.len() {
            let (index, at) = positions[(first + offset) % positions.len()];
            let variant = self.replaced(index, at, None);
            if variant.is_valid() {
                return variant;
            }
        }
        self.clone()
    }

    /// Whether every thread a statement names exists and every `peer` is there.
    fn is_valid(&self) -> bool {
        let has = |id: usize| self.threads.iter().any(|t| t.id == id);
        let peers_ok = self.threads.iter().all(|t| {
            !t.body.iter().any(|s| s.needs.has(Need::Peer)) || (t.id > 0 && has(t.id - 1))
        });
        let named_ok = self
            .statements()
            .all(|s| s.threads.iter().all(|&id| has(id)));
        !self.threads.is_empty() && peers_ok && named_ok
    }

    /// The Python source.
    pub(crate) fn source(&self) -> String {
        let needs = self
            .statements()
            .fold(Needs::default(), |n, s| n.union(s.needs));
        let mut out = String::from("import threading\n");
        if needs.has(Need::Queue) {
            out.push_str("import queue\n");
        }
        if needs.has(Need::Logging) {
            out.push_str("import logging\n");
        }
        let pool_import = needs.has(Need::Pool) || needs.has(Need::Futures);
        match (pool_import, needs.has(Need::AsCompleted)) {
            (true, true) => {
                out.push_str("from concurrent.futures import ThreadPoolExecutor, as_completed\n")
            }
            (true, false) => out.push_str("from concurrent.futures import ThreadPoolExecutor\n"),
            (false, true) => out.push_str("from concurrent.futures import as_completed\n"),
            (false, false) => {}
        }
        out.push('\n');
        if needs.has(Need::Globals) {
            out.push_str("x = 0\ny = 0\n");
        }
        if needs.has(Need::Classes) {
            out.push_str(
                "\n\nclass Base:\n    shared = 0\n    flag = True\n\n    def __init__(self):\n        self.val = 0\n\n    def bump(self):\n        self.val += 1\n\n\nclass Sub(Base):\n    pass\n\n\nobj = Sub()\nbase = Base()\n",
            );
        }
        if needs.has(Need::List) {
            out.push_str("lst = [0, 0, 0]\n");
        }
        if needs.has(Need::Dict) {
            out.push_str("d = {\"a\": 0, \"b\": 0}\n");
        }
        if needs.has(Need::Seen) {
            out.push_str("seen = {}\n");
        }
        if needs.has(Need::Lock) {
            out.push_str("lock = threading.Lock()\n");
        }
        if needs.has(Need::Lock2) {
            out.push_str("lock2 = threading.Lock()\n");
        }
        if needs.has(Need::RLock) {
            out.push_str("rlock = threading.RLock()\n");
        }
        if needs.has(Need::Sem) {
            let _ = writeln!(out, "sem = threading.Semaphore({})", self.sem_value);
        }
        if needs.has(Need::BSem) {
            out.push_str("bsem = threading.BoundedSemaphore(1)\n");
        }
        if needs.has(Need::Event) {
            out.push_str("ev = threading.Event()\n");
        }
        if needs.has(Need::Cond) {
            out.push_str("cond = threading.Condition()\n");
        }
        if needs.has(Need::Barrier) {
            let _ = writeln!(out, "bar = threading.Barrier({})", self.barrier_parties);
        }
        if needs.has(Need::Queue) {
            let _ = writeln!(out, "q = queue.Queue({})", self.queue_size);
        }
        if needs.has(Need::Pool) {
            let _ = writeln!(
                out,
                "pool = ThreadPoolExecutor(max_workers={})",
                self.pool_workers
            );
        }
        if needs.has(Need::Task) {
            out.push_str("\n\ndef task(i):\n    return i * 10\n");
        }
        if needs.has(Need::TaskX) {
            out.push_str("\n\ndef task_x(i):\n    global x\n    x += 1\n    return i\n");
        }
        if needs.has(Need::Helper) {
            out.push_str("\n\ndef helper():\n    print(\"helper\")\n");
        }
        if needs.has(Need::Timer) {
            out.push_str("\n\ndef on_timer():\n    print(\"fired\")\n\n\ntimer = threading.Timer(1, on_timer)\n");
        }
        let parameters = |statements: &[Stmt]| -> Vec<&'static str> {
            if self.objects_as_arguments {
                module_names(statements)
            } else {
                Vec::new()
            }
        };
        for thread in &self.threads {
            let mut names = parameters(&thread.body);
            if thread.body.iter().any(|s| s.needs.has(Need::Peer)) {
                names.push("peer");
            }
            let _ = writeln!(out, "\n\ndef worker{}({}):", thread.id, names.join(", "));
            function_body(&mut out, &thread.body);
        }
        let main_statements: Vec<Stmt> = self
            .after_start
            .iter()
            .chain(&self.after_join)
            .chain(self.threads.iter().flat_map(|t| &t.body))
            .cloned()
            .collect();
        let mut main_names = parameters(&main_statements);
        if self.objects_as_arguments && !main_names.contains(&"threading") {
            main_names.insert(0, "threading");
        }
        let _ = writeln!(out, "\n\ndef main({}):", main_names.join(", "));
        if (self.after_start.iter().chain(&self.after_join)).any(|s| s.needs.has(Need::Globals)) {
            out.push_str("    global x, y\n");
        }
        for thread in &self.threads {
            let mut arguments: Vec<String> = (parameters(&thread.body).iter())
                .map(|name| name.to_string())
                .collect();
            if thread.body.iter().any(|s| s.needs.has(Need::Peer)) {
                arguments.push(format!("t{}", thread.id - 1));
            }
            let mut options = format!("target=worker{}", thread.id);
            if !arguments.is_empty() {
                let _ = write!(options, ", args=({},)", arguments.join(", "));
            }
            if thread.daemon {
                options.push_str(", daemon=True");
            }
            let _ = writeln!(out, "    t{} = threading.Thread({options})", thread.id);
        }
        for thread in &self.threads {
            let _ = writeln!(out, "    t{}.start()", thread.id);
        }
        for statement in &self.after_start {
            for line in statement.code.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        for thread in self.threads.iter().filter(|t| t.joined) {
            let _ = writeln!(out, "    t{}.join()", thread.id);
        }
        for statement in &self.after_join {
            for line in statement.code.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        let _ = write!(out, "\n\nmain({})\n", main_names.join(", "));
        // Two blank lines between top-level blocks, as PEP 8 says, whichever parts are there.
        while out.contains("\n\n\n\n") {
            out = out.replace("\n\n\n\n", "\n\n\n");
        }
        out
    }

    /// How many statement lists it has: each thread's body, then the main thread's after
    /// the starts and after the joins.
    fn n_lists(&self) -> usize {
        self.threads.len() + 2
    }

    /// Statement list `index` (see [`Scenario::n_lists`]).
    fn list(&self, index: usize) -> &Vec<Stmt> {
        let n = self.threads.len();
        match index {
            i if i < n => &self.threads[i].body,
            i if i == n => &self.after_start,
            _ => &self.after_join,
        }
    }

    /// Statement list `index`, to change.
    fn list_mut(&mut self, index: usize) -> &mut Vec<Stmt> {
        let n = self.threads.len();
        match index {
            i if i < n => &mut self.threads[i].body,
            i if i == n => &mut self.after_start,
            _ => &mut self.after_join,
        }
    }

    /// Every statement's (list, index in it).
    fn positions(&self) -> Vec<(usize, usize)> {
        (0..self.n_lists())
            .flat_map(|index| (0..self.list(index).len()).map(move |at| (index, at)))
            .collect()
    }

    /// `self` with statement `at` of list `index` replaced by `by` (removed when `None`).
    fn replaced(&self, index: usize, at: usize, by: Option<Stmt>) -> Scenario {
        let mut variant = self.clone();
        let list = variant.list_mut(index);
        match by {
            Some(statement) => list[at] = statement,
            None => {
                list.remove(at);
            }
        }
        variant
    }

    /// Smaller variants of `self`, simplest first: without a thread, without a statement, a
    /// statement replaced by a simpler one or by a filler, simpler parameters. Every variant
    /// is valid.
    fn variants(&self) -> Vec<Scenario> {
        let mut variants = Vec::new();
        for index in 0..self.threads.len() {
            let mut variant = self.clone();
            variant.threads.remove(index);
            variants.push(variant);
        }
        let positions = self.positions();
        for &(index, at) in &positions {
            variants.push(self.replaced(index, at, None));
        }
        for &(index, at) in &positions {
            for simpler in &self.list(index)[at].simpler {
                variants.push(self.replaced(index, at, Some(simpler.clone())));
            }
        }
        // A statement of a thread replaced by the filler. The main thread's statements after
        // the joins only observe: not replaced.
        let filler = Stmt::filler();
        for &(index, at) in &positions {
            let is_filler = self.list(index)[at].labels == filler.labels;
            if index <= self.threads.len() && !is_filler {
                variants.push(self.replaced(index, at, Some(filler.clone())));
            }
        }
        for (index, thread) in self.threads.iter().enumerate() {
            if thread.daemon {
                let mut variant = self.clone();
                variant.threads[index].daemon = false;
                variant.threads[index].joined = true;
                variants.push(variant);
            }
        }
        if !self.print_atomic {
            let mut variant = self.clone();
            variant.print_atomic = true;
            variants.push(variant);
        }
        if self.objects_as_arguments {
            // Not smaller, but shorter to read.
            let mut variant = self.clone();
            variant.objects_as_arguments = false;
            variants.push(variant);
        }
        if self.pool_workers > 1 {
            let mut variant = self.clone();
            variant.pool_workers = 1;
            variants.push(variant);
        }
        if self.barrier_parties > 2 {
            let mut variant = self.clone();
            variant.barrier_parties = 2;
            variants.push(variant);
        }
        variants.retain(Scenario::is_valid);
        variants
    }
}

/// Shrinks `scenario` while `fails` holds: greedily takes the first smaller variant that still
/// fails, until none does. Deterministic; `fails` is called at most `budget` times.
pub(crate) fn shrink(
    scenario: &Scenario,
    budget: usize,
    mut fails: impl FnMut(&Scenario) -> bool,
) -> Scenario {
    let mut current = scenario.clone();
    let mut calls = 0;
    'outer: loop {
        for variant in current.variants() {
            if calls >= budget {
                break 'outer;
            }
            calls += 1;
            if fails(&variant) {
                current = variant;
                continue 'outer;
            }
        }
        break;
    }
    current
}
