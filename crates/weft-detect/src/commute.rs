//! What commutes: the one place that decides, from what two steps really touched (their
//! [`Footprint`]s, recorded by the VM as they ran), whether their order can matter. DPOR's races
//! and sleep sets and the detectors' happens-before are all built on it, and so is the vector
//! clock type both use.
//!
//! Two accesses conflict when they touch the same thing and at least one changes it:
//! - a location: overlapping locations ([`overlap`]: the same one, or a container's item and
//!   the whole container), one of them a write;
//! - a lock's owner: any two accesses but two observations (a reentrant acquire of an `RLock`
//!   touches no owner, so it conflicts with nothing);
//! - a library object: two operations on it that [`SyncOp::conflicts_with`] says do not commute;
//! - a thread's life: its start or end against anything that observes or changes it
//!   (`is_alive()`, `start()`, the step that lets the program end, which reads its daemons'
//!   lives), and against every observation of the set of live threads (`enumerate()`,
//!   `active_count()`); a `join()` waits for its thread's end: ordered after it, never racing
//!   with it;
//! - the counter behind default thread names: any two draws;
//! - the end of the main thread's code against what depends on it (a pool's submit, an idle
//!   worker leaving);
//! - the end of the program: everything (it stops every daemon thread wherever it is).

use smallvec::SmallVec;
use weft_vm::{Access, Footprint, Location, LockAccess, ThreadId};

/// Whether two accesses by different threads may not commute.
pub fn conflicts(a: &Access, b: &Access) -> bool {
    use Access::*;
    match (a, b) {
        (Exit, _) | (_, Exit) => true,
        (Read(x), Write(y)) | (Write(x), Read(y)) | (Write(x), Write(y)) => overlap(x, y),
        (Read(_), Read(_)) => false,
        (Lock { lock: x, kind: k }, Lock { lock: y, kind: l }) => {
            x == y && !(*k == LockAccess::Observe && *l == LockAccess::Observe)
        }
        (Sync { obj: x, kind: k }, Sync { obj: y, kind: l }) => x == y && k.conflicts_with(l),
        (
            Thread {
                thread: x,
                changes: c,
            },
            Thread {
                thread: y,
                changes: d,
            },
        ) => x == y && (*c || *d),
        (LiveThreads, Thread { changes, .. }) | (Thread { changes, .. }, LiveThreads) => *changes,
        (Joined(x), Thread { thread: y, changes }) | (Thread { thread: y, changes }, Joined(x)) => {
            x == y && *changes
        }
        (NameCounter, NameCounter) => true,
        (ProgramEnd { ends: a }, ProgramEnd { ends: b }) => *a || *b,
        _ => false,
    }
}

/// How two steps of different threads relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// They commute.
    Independent,
    /// The later one waited for the earlier (a join completed after the thread's end): what
    /// the later thread does after the wait is ordered after the earlier step, and there is no
    /// race to reverse (before the end, the join would only wait).
    Ordered,
    /// Their order can matter, and another order may be possible.
    Race,
}

/// How the step `earlier` relates to the step `later` of another thread: a race when some
/// access of one conflicts with some access of the other, except where every conflict is a
/// wait for what the earlier step did (a `join()` after the thread's end), which only orders
/// them.
pub fn relation(earlier: &Footprint, later: &Footprint) -> Relation {
    if exits(earlier) || exits(later) {
        return Relation::Race;
    }
    let mut relation = Relation::Independent;
    for (_, x) in earlier {
        for (_, y) in later {
            if !conflicts(x, y) {
                continue;
            }
            if !matches!(y, Access::Joined(_)) {
                return Relation::Race;
            }
            relation = Relation::Ordered;
        }
    }
    relation
}

/// Whether a step ended the program.
fn exits(footprint: &Footprint) -> bool {
    footprint.iter().any(|(_, access)| *access == Access::Exit)
}

/// Whether two locations share some state: the same location, or an item of a container and
/// the whole container ([`Location::Items`]: its shape and every item). Two items of one
/// container overlap only when their keys are the same.
pub fn overlap(a: &Location, b: &Location) -> bool {
    match (a, b) {
        (Location::Items(x), Location::Items(y) | Location::Item(y, _))
        | (Location::Item(x, _), Location::Items(y)) => x == y,
        _ => a == b,
    }
}

/// Whether two steps of different threads may not commute: some access of one conflicts with
/// some access of the other (whichever threads made them: a step's footprint includes what the
/// threads it let run on without a scheduling decision did).
/// Ending the program depends even on a step that touched nothing shared (a daemon's `sleep`),
/// since it decides where that thread is stopped.
pub fn dependent(a: &Footprint, b: &Footprint) -> bool {
    exits(a)
        || exits(b)
        || a.iter()
            .any(|(_, x)| b.iter().any(|(_, y)| conflicts(x, y)))
}

/// A vector clock: entry `t` is the number of thread t's events that happen before (or at) the
/// point it describes. Missing entries are 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VectorClock(SmallVec<[u32; 8]>);

impl VectorClock {
    /// The clock before anything happened.
    pub fn new() -> VectorClock {
        VectorClock::default()
    }

    /// Entry `thread`.
    pub fn get(&self, thread: ThreadId) -> u32 {
        self.0.get(thread.index()).copied().unwrap_or(0)
    }

    /// Sets entry `thread`.
    pub fn set(&mut self, thread: ThreadId, value: u32) {
        if self.0.len() <= thread.index() {
            self.0.resize(thread.index() + 1, 0);
        }
        self.0[thread.index()] = value;
    }

    /// Adds one event of `thread`.
    pub fn tick(&mut self, thread: ThreadId) {
        let next = self.get(thread) + 1;
        self.set(thread, next);
    }

    /// Takes one event of `thread` back.
    pub fn untick(&mut self, thread: ThreadId) {
        let previous = self.get(thread).saturating_sub(1);
        self.set(thread, previous);
    }

    /// The pointwise maximum of this clock and `other`, in place.
    pub fn join(&mut self, other: &VectorClock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a = (*a).max(*b);
        }
    }

    /// Whether the `index`-th event of `thread` (from 1) happens before this point.
    pub fn has_seen(&self, thread: ThreadId, index: u32) -> bool {
        self.get(thread) >= index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_bytecode::NameId;
    use weft_vm::{ItemKey, ObjId, SyncOp};

    fn fp(accesses: &[Access]) -> Footprint {
        accesses.iter().map(|&a| (ThreadId(1), a)).collect()
    }

    const X: Location = Location::Global(NameId(0));
    const Y: Location = Location::Global(NameId(1));

    #[test]
    fn locations_conflict_on_a_write_to_the_same_one() {
        assert!(conflicts(&Access::Read(X), &Access::Write(X)));
        assert!(conflicts(&Access::Write(X), &Access::Write(X)));
        assert!(!conflicts(&Access::Read(X), &Access::Read(X)));
        assert!(!conflicts(&Access::Write(X), &Access::Write(Y)));
    }

    #[test]
    fn items_conflict_with_the_same_item_and_with_the_whole_container() {
        let item = |obj: u32, key: u64| Location::Item(ObjId(obj), ItemKey(key));
        let whole = |obj: u32| Location::Items(ObjId(obj));
        let write = |location| Access::Write(location);
        let read = |location| Access::Read(location);
        assert!(conflicts(&write(item(5, 0)), &write(item(5, 0))));
        assert!(conflicts(&read(item(5, 0)), &write(item(5, 0))));
        assert!(!conflicts(&write(item(5, 0)), &write(item(5, 1))));
        assert!(!conflicts(&write(item(5, 0)), &write(item(6, 0))));
        assert!(!conflicts(&read(item(5, 0)), &read(item(5, 0))));
        assert!(conflicts(&write(whole(5)), &read(item(5, 3))));
        assert!(conflicts(&read(item(5, 3)), &write(whole(5))));
        assert!(conflicts(&read(whole(5)), &write(item(5, 3))));
        assert!(conflicts(&write(whole(5)), &write(whole(5))));
        assert!(conflicts(&read(whole(5)), &write(whole(5))));
        assert!(!conflicts(&read(whole(5)), &read(item(5, 3))));
        assert!(!conflicts(&read(whole(5)), &read(whole(5))));
        assert!(!conflicts(&write(whole(5)), &write(item(6, 3))));
        assert!(!conflicts(&write(whole(5)), &write(X)));
    }

    #[test]
    fn lock_owner_changes_conflict_observations_do_not() {
        let take = Access::Lock {
            lock: ObjId(3),
            kind: LockAccess::Take,
        };
        let give = Access::Lock {
            lock: ObjId(3),
            kind: LockAccess::Give,
        };
        let look = Access::Lock {
            lock: ObjId(3),
            kind: LockAccess::Observe,
        };
        let other = Access::Lock {
            lock: ObjId(4),
            kind: LockAccess::Take,
        };
        assert!(conflicts(&take, &take));
        assert!(conflicts(&take, &give));
        assert!(conflicts(&look, &give));
        assert!(!conflicts(&look, &look));
        assert!(!conflicts(&take, &other));
    }

    #[test]
    fn thread_life_conflicts_with_its_observers_and_the_live_set() {
        let end = Access::Thread {
            thread: ObjId(9),
            changes: true,
        };
        let ask = Access::Thread {
            thread: ObjId(9),
            changes: false,
        };
        let ask_other = Access::Thread {
            thread: ObjId(8),
            changes: false,
        };
        assert!(conflicts(&end, &ask));
        assert!(!conflicts(&ask, &ask));
        assert!(!conflicts(&end, &ask_other));
        assert!(conflicts(&Access::LiveThreads, &end));
        assert!(!conflicts(&Access::LiveThreads, &ask));
        assert!(!conflicts(&Access::LiveThreads, &Access::LiveThreads));
    }

    #[test]
    fn a_join_is_ordered_after_the_end_it_waits_for_not_racing() {
        let end = fp(&[Access::Thread {
            thread: ObjId(9),
            changes: true,
        }]);
        let join = fp(&[Access::Joined(ObjId(9)), Access::Read(X)]);
        assert_eq!(relation(&end, &join), Relation::Ordered);
        let end_and_write = fp(&[
            Access::Write(X),
            Access::Thread {
                thread: ObjId(9),
                changes: true,
            },
        ]);
        assert_eq!(relation(&end_and_write, &join), Relation::Race);
        assert_eq!(
            relation(&fp(&[Access::Write(Y)]), &join),
            Relation::Independent
        );
        // A step that touched nothing shared still races with the end of the program.
        assert_eq!(relation(&fp(&[]), &fp(&[Access::Exit])), Relation::Race);
    }

    #[test]
    fn library_operations_follow_the_objects_table() {
        let set = Access::Sync {
            obj: ObjId(5),
            kind: SyncOp::EventSet,
        };
        let wait = Access::Sync {
            obj: ObjId(5),
            kind: SyncOp::EventWait { blocking: true },
        };
        assert!(!conflicts(&set, &set));
        assert!(conflicts(&set, &wait));
    }

    #[test]
    fn a_step_depends_on_any_conflicting_access_and_exit_on_everything() {
        let reads_class = fp(&[Access::Read(X), Access::Read(Y)]);
        assert!(dependent(&reads_class, &fp(&[Access::Write(Y)])));
        assert!(!dependent(&reads_class, &fp(&[Access::Read(Y)])));
        assert!(dependent(&fp(&[Access::Exit]), &fp(&[Access::Read(X)])));
        assert!(dependent(&fp(&[]), &fp(&[Access::Exit])));
        assert!(!dependent(&fp(&[]), &fp(&[Access::Write(X)])));
    }

    #[test]
    fn clocks_join_pointwise_and_tick() {
        let mut a = VectorClock::new();
        a.tick(ThreadId(0));
        a.tick(ThreadId(0));
        let mut b = VectorClock::new();
        b.set(ThreadId(2), 5);
        a.join(&b);
        assert_eq!(a.get(ThreadId(0)), 2);
        assert_eq!(a.get(ThreadId(1)), 0);
        assert_eq!(a.get(ThreadId(2)), 5);
        assert!(a.has_seen(ThreadId(2), 5));
        assert!(!a.has_seen(ThreadId(2), 6));
        a.untick(ThreadId(0));
        assert_eq!(a.get(ThreadId(0)), 1);
    }
}
