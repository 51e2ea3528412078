//! The detectors' state along one execution, updated one step at a time: happens-before vector
//! clocks, per-location shadow state (FastTrack-style epochs of the last write and of the reads
//! since, plus each thread's last read for lost updates), and each thread's held locks for the
//! lock order. Every step is O(threads) and the state is never rebuilt from the trace, so a run
//! of a million steps stays linear. An exploration rolls the state back to a node's mark when it
//! backtracks (an undo log), so each explored step is analysed once, not once per execution.
//!
//! Locations and locks in findings are named when found, as the VM describes them then, and each
//! description is interned ([`Name`]) and cached for the rest of the path, so keys are small
//! `Copy` values. (A description names an object by the global or attribute it was first stored
//! in, which never changes once set; an object not yet stored anywhere is `Lock #7`.) Thread names
//! are looked up only when a finding is reported, in the execution's final state.

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use smallvec::SmallVec;
use weft_vm::{Access, Event, ItemKey, Location, LockAccess, ObjId, Op, ThreadId, Vm};

use crate::commute::VectorClock;

use crate::{DataRace, LockOrderEdge, LostUpdate};

/// What a lock operation does to the lock, for the held locks and the lock order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LockStep {
    /// Took the lock; a blocking acquire nests in the lock order.
    Take {
        /// Whether it waited (a try-acquire adds no lock-order edge).
        blocking: bool,
    },
    /// Gave the lock back.
    Give,
}

/// The object standing for the set of live threads in [`DetectorState::released`]: every
/// thread's start and end release into it, `enumerate()` and `active_count()` acquire it.
const LIVE_THREADS: ObjId = ObjId(u32::MAX);

type Clock = VectorClock;

/// One access, as shadow state keeps it: its epoch (thread and the thread's event count), line
/// and position in the execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    thread: ThreadId,
    epoch: u32,
    line: u32,
    position: u64,
}

/// Per location: the last write, the reads since it (one per thread, oldest first), and per
/// thread its last read not yet followed by its own write (for lost updates). A whole container
/// ([`Location::Items`]) also keeps, per thread, its last write and its last read of one of the
/// container's items since the container was last written as a whole, with the item's key: what
/// a whole-container access may race with.
#[derive(Clone, Debug, Default)]
struct Shadow {
    last_write: Option<Seen>,
    reads: SmallVec<[Seen; 2]>,
    pending_reads: SmallVec<[Seen; 2]>,
    item_writes: SmallVec<[(Seen, ItemKey); 1]>,
    item_reads: SmallVec<[(Seen, ItemKey); 1]>,
}

/// The shadow state of `location`, created empty if it has none, its previous state saved in the
/// undo log (if there is one).
fn shadow_entry<'a>(
    shadows: &'a mut HashMap<Location, Shadow>,
    undo: &mut Option<UndoLog>,
    location: Location,
) -> &'a mut Shadow {
    let entry = shadows.entry(location);
    if let Some(undo) = undo {
        let previous = match &entry {
            Entry::Occupied(occupied) => Some(occupied.get().clone()),
            Entry::Vacant(_) => None,
        };
        undo.shadows.push((location, previous));
        undo.entries.push(Undo::Shadow);
    }
    entry.or_default()
}

/// A lock a thread holds: the lock, the line of its outermost acquire, its recursion count.
#[derive(Clone, Copy, Debug)]
struct Held {
    lock: ObjId,
    line: u32,
    count: u32,
}

/// An interned description of a location or a lock (`global counter`, `Lock lock1`), the same
/// in every execution of a search; [`DetectorState::name`] gives its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(u32);

/// What a [`Name`] is cached for along a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Named {
    Location(Location),
    Object(ObjId),
}

/// Something found along the execution: names, lines and thread ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Found {
    /// A lost update ([`LostUpdate`]).
    LostUpdate {
        /// The location.
        location: Name,
        /// The line of the stale read.
        read_line: u32,
        /// The line of the write that was lost.
        lost_write_line: u32,
        /// The line of the overwriting write.
        write_line: u32,
        /// The thread that read and overwrote.
        thread: ThreadId,
        /// The thread whose write was lost.
        other_thread: ThreadId,
    },
    /// A data race ([`DataRace`]).
    DataRace {
        /// The location.
        location: Name,
        /// The earlier access: thread, whether it writes, line.
        first: (ThreadId, bool, u32),
        /// The later access.
        second: (ThreadId, bool, u32),
    },
    /// A nested acquisition, an edge of the lock-order graph ([`LockOrderEdge`]); one per pair
    /// of locks and execution.
    LockOrder {
        /// The lock held.
        held: Name,
        /// The lock acquired while holding it.
        acquired: Name,
        /// The line where the held lock was acquired.
        held_line: u32,
        /// The line of the nested acquire.
        acquire_line: u32,
        /// The thread.
        thread: ThreadId,
    },
}

/// What makes two findings the same across executions: their kind, names and lines (not the
/// threads, nor, for a lock-order edge, the lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKey {
    /// A lost update: location, read line, lost write line, write line.
    LostUpdate(Name, u32, u32, u32),
    /// A data race: location, then whether each access writes and its line.
    DataRace(Name, bool, u32, bool, u32),
    /// A lock-order edge: the lock held, the lock acquired.
    LockOrder(Name, Name),
}

impl Found {
    /// What makes it the same as another execution's finding.
    pub fn key(&self) -> FindingKey {
        match *self {
            Found::LostUpdate {
                location,
                read_line,
                lost_write_line,
                write_line,
                ..
            } => FindingKey::LostUpdate(location, read_line, lost_write_line, write_line),
            Found::DataRace {
                location,
                first,
                second,
            } => FindingKey::DataRace(location, first.1, first.2, second.1, second.2),
            Found::LockOrder { held, acquired, .. } => FindingKey::LockOrder(held, acquired),
        }
    }

    /// What makes two findings of one execution the same: everything but a lock-order edge's
    /// lines and thread (the first edge between two locks is the one reported).
    fn identity(&self) -> Found {
        match *self {
            Found::LockOrder { held, acquired, .. } => Found::LockOrder {
                held,
                acquired,
                held_line: 0,
                acquire_line: 0,
                thread: ThreadId(0),
            },
            other => other,
        }
    }
}

/// A finding in words, named with an execution's final state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Described {
    /// A lost update.
    LostUpdate(LostUpdate),
    /// A data race.
    DataRace(DataRace),
    /// A lock-order edge.
    LockOrder(LockOrderEdge),
}

/// Descriptions, interned: appended to, never rolled back.
#[derive(Clone, Debug, Default)]
struct Interner {
    texts: Vec<String>,
    ids: HashMap<String, Name>,
}

impl Interner {
    fn intern(&mut self, text: String) -> Name {
        if let Some(&name) = self.ids.get(&text) {
            return name;
        }
        let name = Name(self.texts.len() as u32);
        self.texts.push(text.clone());
        self.ids.insert(text, name);
        name
    }
}

/// How to undo one change of the state.
#[derive(Clone, Debug)]
enum Undo {
    /// The thread's own entry was incremented.
    Tick(ThreadId),
    /// The thread's clock was this.
    Clock(ThreadId, Clock),
    /// The thread had taken in this many joins.
    Joined(ThreadId, usize),
    /// A thread was started.
    NewThread,
    /// The object's last release had this clock (none: it had not been released).
    Released(ObjId, Option<Clock>),
    /// The last entry of [`UndoLog::shadows`].
    Shadow,
    /// A lock was pushed on the thread's held locks.
    HeldPushed(ThreadId),
    /// The held lock at this index was re-entered.
    HeldReentered(ThreadId, usize),
    /// The held lock at this index was released once: this was it (removed if its count was 1).
    HeldReleased(ThreadId, usize, Held),
    /// A name was cached.
    Named(Named),
    /// A finding was recorded.
    Found,
}

/// The undo log: shadow states apart, so that the common entries stay small.
#[derive(Clone, Debug, Default)]
struct UndoLog {
    entries: Vec<Undo>,
    shadows: Vec<(Location, Option<Shadow>)>,
}

/// A point an exploration can roll the state back to ([`DetectorState::mark`]); the default is
/// the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    entries: usize,
    position: u64,
}

/// The detectors' state after a prefix of an execution: feed it every step with
/// [`DetectorState::step`]; read what it found with [`DetectorState::found`] and
/// [`DetectorState::describe`].
#[derive(Clone, Debug)]
pub struct DetectorState {
    /// Happens-before clock per thread: program order, thread start, join, and for an operation
    /// on a synchronisation object, the object's last release.
    clocks: Vec<Clock>,
    /// Per thread, how many of its joins (`Vm::joined`) the clocks have taken in.
    joined: Vec<usize>,
    /// Per synchronisation object, the clock of its last release.
    released: HashMap<ObjId, Clock>,
    shadows: HashMap<Location, Shadow>,
    held: Vec<Vec<Held>>,
    /// Steps so far.
    position: u64,
    /// What was found, in the order found, each once.
    found: Vec<Found>,
    seen: HashSet<Found>,
    /// The names of the locations and locks found on this path so far.
    named: HashMap<Named, Name>,
    interner: Interner,
    /// The undo log, when the state can be rolled back.
    undo: Option<UndoLog>,
}

impl DetectorState {
    /// The state at the start of a single run, in `vm`'s initial state.
    pub fn new(vm: &Vm) -> DetectorState {
        let n_threads = vm.n_threads();
        DetectorState {
            clocks: vec![Clock::new(); n_threads],
            joined: (0..n_threads as u32)
                .map(|t| vm.joined(ThreadId(t)).len())
                .collect(),
            released: HashMap::default(),
            shadows: HashMap::default(),
            held: vec![Vec::new(); n_threads],
            position: 0,
            found: Vec::new(),
            seen: HashSet::default(),
            named: HashMap::default(),
            interner: Interner::default(),
            undo: None,
        }
    }

    /// The state at the start of a search, which rolls it back with [`DetectorState::rollback`].
    pub fn for_search(vm: &Vm) -> DetectorState {
        DetectorState {
            undo: Some(UndoLog::default()),
            ..DetectorState::new(vm)
        }
    }

    /// The current point, to roll back to.
    pub fn mark(&self) -> Mark {
        Mark {
            entries: self.undo.as_ref().map_or(0, |undo| undo.entries.len()),
            position: self.position,
        }
    }

    /// Undoes every step since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        if self
            .undo
            .as_ref()
            .is_none_or(|undo| undo.entries.len() <= mark.entries)
        {
            return;
        }
        let Some(mut undo) = self.undo.take() else {
            return;
        };
        self.position = mark.position;
        while undo.entries.len() > mark.entries {
            match undo.entries.pop().expect("the log is longer than the mark") {
                Undo::Tick(thread) => self.clocks[thread.index()].untick(thread),
                Undo::Clock(thread, clock) => self.clocks[thread.index()] = clock,
                Undo::Joined(thread, count) => self.joined[thread.index()] = count,
                Undo::NewThread => {
                    self.clocks.pop();
                    self.joined.pop();
                    self.held.pop();
                }
                Undo::Released(object, clock) => match clock {
                    Some(clock) => {
                        self.released.insert(object, clock);
                    }
                    None => {
                        self.released.remove(&object);
                    }
                },
                Undo::Shadow => {
                    let (location, shadow) = undo.shadows.pop().expect("a shadow state to undo");
                    match shadow {
                        Some(shadow) => {
                            self.shadows.insert(location, shadow);
                        }
                        None => {
                            self.shadows.remove(&location);
                        }
                    }
                }
                Undo::HeldPushed(thread) => {
                    self.held[thread.index()].pop();
                }
                Undo::HeldReentered(thread, index) => self.held[thread.index()][index].count -= 1,
                Undo::HeldReleased(thread, index, held) => {
                    let stack = &mut self.held[thread.index()];
                    if held.count == 1 {
                        stack.insert(index, held);
                    } else {
                        stack[index] = held;
                    }
                }
                Undo::Named(named) => {
                    self.named.remove(&named);
                }
                Undo::Found => {
                    let found = self.found.pop().expect("a finding to undo");
                    self.seen.remove(&found.identity());
                }
            }
        }
        self.undo = Some(undo);
    }

    fn log(&mut self, entry: impl FnOnce(&Self) -> Undo) {
        if self.undo.is_none() {
            return;
        }
        let entry = entry(self);
        if let Some(undo) = &mut self.undo {
            undo.entries.push(entry);
        }
    }

    /// Takes in the step `vm` just executed (`event`, by `event.thread`): what the stepping
    /// thread touched (its footprint), then the joins the step completed and the threads it
    /// started, then what the threads the VM let run on touched (a joiner observing that
    /// threads ended).
    pub fn step(&mut self, vm: &Vm, event: &Event) {
        let thread = event.thread;
        let n_before = self.clocks.len();
        self.position += 1;
        self.log(|_| Undo::Tick(thread));
        self.clocks[thread.index()].tick(thread);
        let blocking = match event.op {
            Op::Acquire { blocking, .. } => blocking,
            _ => true,
        };
        for &(by, access) in event.footprint.iter().filter(|(by, _)| *by == thread) {
            self.access_of(vm, by, access, event.line, blocking);
        }
        // Every join completed during the step orders the joined thread's last event before the
        // joiner's next one; a new thread starts after its parent's past. A thread started
        // during the step may also have finished and been joined in it: those joins come last.
        let mut joins_of_new_threads = Vec::new();
        for t in 0..n_before {
            let joiner = ThreadId(t as u32);
            let joined = vm.joined(joiner);
            if joined.len() == self.joined[t] {
                continue;
            }
            self.log(|state| Undo::Clock(joiner, state.clocks[t].clone()));
            self.log(|state| Undo::Joined(joiner, state.joined[t]));
            for &target in &joined[self.joined[t]..] {
                if target.index() >= n_before {
                    joins_of_new_threads.push((t, target));
                    continue;
                }
                let target_clock = self.clocks[target.index()].clone();
                self.clocks[t].join(&target_clock);
            }
            self.joined[t] = joined.len();
        }
        for child in n_before..vm.n_threads() {
            let child = ThreadId(child as u32);
            let parent = vm.thread_parent(child).unwrap_or(thread);
            let start = self.clocks[parent.index()].clone();
            self.log(|_| Undo::NewThread);
            self.clocks.push(start);
            self.joined.push(vm.joined(child).len());
            self.held.push(Vec::new());
        }
        for (t, target) in joins_of_new_threads {
            let target_clock = self.clocks[target.index()].clone();
            self.clocks[t].join(&target_clock);
        }
        for &(by, access) in event.footprint.iter().filter(|(by, _)| *by != thread) {
            self.access_of(vm, by, access, event.line, true);
        }
    }

    /// Takes in one access `thread` made at `line`: a location's shadow state, or the
    /// happens-before edges and held locks of a synchronisation. `blocking` says whether a lock
    /// it takes was waited for.
    fn access_of(&mut self, vm: &Vm, thread: ThreadId, access: Access, line: u32, blocking: bool) {
        // (object, whether the access releases: later acquirers of the object happen after it)
        let (object, releases) = match access {
            Access::Read(location) | Access::Write(location) => {
                if location != Location::Stdout {
                    let writes = matches!(access, Access::Write(_));
                    self.access(vm, thread, location, writes, line);
                }
                return;
            }
            Access::Lock { lock, kind } => {
                match kind {
                    LockAccess::Take => {
                        self.lock_order(vm, thread, lock, LockStep::Take { blocking }, line)
                    }
                    LockAccess::Give => self.lock_order(vm, thread, lock, LockStep::Give, line),
                    LockAccess::Observe => {}
                }
                (lock, kind == LockAccess::Give)
            }
            // A library object's operations are both acquire- and release-like: totally ordered.
            Access::Sync { obj, .. } => (obj, true),
            Access::Thread {
                thread: object,
                changes,
            } => {
                if changes {
                    self.release(thread, LIVE_THREADS);
                }
                (object, changes)
            }
            Access::Joined(object) => (object, false),
            Access::LiveThreads => (LIVE_THREADS, false),
            Access::NameCounter | Access::ProgramEnd { .. } | Access::Exit => return,
        };
        self.acquire(thread, object);
        if releases {
            self.release(thread, object);
        }
    }

    /// `thread` happens after the last release of `object`.
    fn acquire(&mut self, thread: ThreadId, object: ObjId) {
        let t = thread.index();
        if let Some(released) = self.released.get(&object) {
            if let Some(undo) = &mut self.undo {
                undo.entries
                    .push(Undo::Clock(thread, self.clocks[t].clone()));
            }
            self.clocks[t].join(released);
        }
    }

    /// `thread`'s past becomes what `object`'s later acquirers happen after (with what they
    /// already did: releases of one object accumulate, so none of them is lost).
    fn release(&mut self, thread: ThreadId, object: ObjId) {
        let mut clock = self.clocks[thread.index()].clone();
        if let Some(released) = self.released.get(&object) {
            clock.join(released);
        }
        let previous = self.released.insert(object, clock);
        self.log(|_| Undo::Released(object, previous));
    }

    /// Checks an access against the location's shadow state (data races, lost updates), then
    /// records it there. An item of a container is also checked against the whole container's
    /// accesses, and a whole-container access against each thread's last access of one of its
    /// items (kept in the whole container's shadow), so a step stays O(threads).
    fn access(&mut self, vm: &Vm, thread: ThreadId, location: Location, writes: bool, line: u32) {
        let clock = &self.clocks[thread.index()];
        let access = Seen {
            thread,
            epoch: clock.get(thread),
            line,
            position: self.position,
        };
        let ordered = |earlier: &Seen| clock.has_seen(earlier.thread, earlier.epoch);
        let race = |earlier: &Seen, earlier_writes: bool| {
            (earlier.thread != thread && !ordered(earlier)).then_some(Found::DataRace {
                location: Name(0),
                first: (earlier.thread, earlier_writes, earlier.line),
                second: (thread, writes, line),
            })
        };
        // What is found, with the location to name it by.
        let mut found: SmallVec<[(Found, Location); 4]> = SmallVec::new();
        if let Location::Item(obj, key) = location {
            let whole = shadow_entry(&mut self.shadows, &mut self.undo, Location::Items(obj));
            let earlier_reads = if writes { &whole.reads[..] } else { &[] };
            let earlier = (whole.last_write.iter().map(|write| (write, true)))
                .chain(earlier_reads.iter().map(|read| (read, false)));
            for (earlier, earlier_writes) in earlier {
                found.extend(race(earlier, earlier_writes).map(|race| (race, location)));
            }
            let items = if writes {
                &mut whole.item_writes
            } else {
                &mut whole.item_reads
            };
            items.retain(|(seen, _)| seen.thread != thread);
            items.push((access, key));
        }
        let shadow = shadow_entry(&mut self.shadows, &mut self.undo, location);
        if let Location::Items(obj) = location {
            let item_reads = if writes { &shadow.item_reads[..] } else { &[] };
            let earlier = (shadow.item_writes.iter().map(|write| (write, true)))
                .chain(item_reads.iter().map(|read| (read, false)));
            for (&(earlier, key), earlier_writes) in earlier {
                found.extend(
                    race(&earlier, earlier_writes).map(|race| (race, Location::Item(obj, key))),
                );
            }
            if writes {
                shadow.item_writes.clear();
                shadow.item_reads.clear();
            }
        }
        let earlier_reads = if writes { &shadow.reads[..] } else { &[] };
        let earlier = (shadow.last_write.iter().map(|write| (write, true)))
            .chain(earlier_reads.iter().map(|read| (read, false)));
        for (earlier, earlier_writes) in earlier {
            found.extend(race(earlier, earlier_writes).map(|race| (race, location)));
        }
        if writes {
            if let Some(index) = shadow.pending_reads.iter().position(|r| r.thread == thread) {
                let read = shadow.pending_reads.remove(index);
                // A whole-container write loses nothing of one item: the VM records a dict
                // key's write with the write that adds or removes it.
                if let Some(other) = shadow.last_write
                    && other.position > read.position
                    && other.thread != thread
                {
                    let lost_update = Found::LostUpdate {
                        location: Name(0),
                        read_line: read.line,
                        lost_write_line: other.line,
                        write_line: line,
                        thread,
                        other_thread: other.thread,
                    };
                    found.push((lost_update, location));
                }
            }
            shadow.last_write = Some(access);
            shadow.reads.clear();
        } else {
            shadow.reads.retain(|r| r.thread != thread);
            shadow.reads.push(access);
            shadow.pending_reads.retain(|r| r.thread != thread);
            shadow.pending_reads.push(access);
        }
        for (mut found, location) in found {
            let name = self.name(vm, Named::Location(location));
            match &mut found {
                Found::DataRace { location, .. } | Found::LostUpdate { location, .. } => {
                    *location = name;
                }
                Found::LockOrder { .. } => {}
            }
            self.record(found);
        }
    }

    /// Keeps the locks each thread holds and records nested acquisitions.
    fn lock_order(&mut self, vm: &Vm, thread: ThreadId, lock: ObjId, kind: LockStep, line: u32) {
        let t = thread.index();
        match kind {
            LockStep::Take { blocking: true } => {
                if let Some(index) = self.held[t].iter().position(|h| h.lock == lock) {
                    self.held[t][index].count += 1;
                    self.log(|_| Undo::HeldReentered(thread, index));
                    return;
                }
                if !self.held[t].is_empty() {
                    let acquired = self.name(vm, Named::Object(lock));
                    for index in 0..self.held[t].len() {
                        let held = self.held[t][index];
                        let held_name = self.name(vm, Named::Object(held.lock));
                        self.record(Found::LockOrder {
                            held: held_name,
                            acquired,
                            held_line: held.line,
                            acquire_line: line,
                            thread,
                        });
                    }
                }
                self.held[t].push(Held {
                    lock,
                    line,
                    count: 1,
                });
                self.log(|_| Undo::HeldPushed(thread));
            }
            LockStep::Give => {
                if let Some(position) = self.held[t].iter().position(|h| h.lock == lock) {
                    let held = self.held[t][position];
                    self.log(|_| Undo::HeldReleased(thread, position, held));
                    let stack = &mut self.held[t];
                    stack[position].count -= 1;
                    if stack[position].count == 0 {
                        stack.remove(position);
                    }
                }
            }
            LockStep::Take { blocking: false } => {}
        }
    }

    /// The name of a location or lock as `vm` describes it now, cached for the rest of the path.
    fn name(&mut self, vm: &Vm, named: Named) -> Name {
        if let Some(&name) = self.named.get(&named) {
            return name;
        }
        let text = match named {
            Named::Location(location) => vm.describe_location(location),
            Named::Object(object) => vm.describe_object(object),
        };
        let name = self.interner.intern(text);
        self.named.insert(named, name);
        self.log(|_| Undo::Named(named));
        name
    }

    fn record(&mut self, found: Found) {
        if self.seen.insert(found.identity()) {
            self.found.push(found);
            self.log(|_| Undo::Found);
        }
    }

    /// The text of a name.
    pub fn name_text(&self, name: Name) -> &str {
        &self.interner.texts[name.0 as usize]
    }

    /// What was found so far, in the order found, each once.
    pub fn found(&self) -> &[Found] {
        &self.found
    }

    /// A lock-order finding as an edge (threads named with `vm`).
    pub fn lock_order_edge(&self, vm: &Vm, found: &Found) -> LockOrderEdge {
        match self.describe(vm, found) {
            Described::LockOrder(edge) => edge,
            other => panic!("not a lock-order finding: {other:?}"),
        }
    }

    /// What was found so far, in words: lost updates, data races and lock-order edges, each in
    /// the order found and each once (threads named with `vm`, the execution's final state).
    pub fn described(&self, vm: &Vm) -> Vec<Described> {
        let mut described: Vec<Described> = Vec::new();
        for found in &self.found {
            let finding = self.describe(vm, found);
            if !described.contains(&finding) {
                described.push(finding);
            }
        }
        described
    }

    /// A finding in words; threads are named with `vm` (the execution's final state).
    pub fn describe(&self, vm: &Vm, found: &Found) -> Described {
        let text = |name: Name| self.name_text(name).to_string();
        let thread_name = |thread: ThreadId| vm.thread_name(thread).to_string();
        let word = |writes: bool| if writes { "write" } else { "read" }.to_string();
        match *found {
            Found::LostUpdate {
                location,
                read_line,
                lost_write_line,
                write_line,
                thread,
                other_thread,
            } => Described::LostUpdate(LostUpdate {
                location: text(location),
                read_line,
                lost_write_line,
                write_line,
                thread: thread_name(thread),
                other_thread: thread_name(other_thread),
            }),
            Found::DataRace {
                location,
                first,
                second,
            } => Described::DataRace(DataRace {
                location: text(location),
                first_access: word(first.1),
                first_line: first.2,
                first_thread: thread_name(first.0),
                second_access: word(second.1),
                second_line: second.2,
                second_thread: thread_name(second.0),
            }),
            Found::LockOrder {
                held,
                acquired,
                held_line,
                acquire_line,
                thread,
            } => Described::LockOrder(LockOrderEdge {
                held: text(held),
                acquired: text(acquired),
                held_line,
                acquire_line,
                thread: thread_name(thread),
            }),
        }
    }
}
