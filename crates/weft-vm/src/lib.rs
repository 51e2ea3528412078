//! weft's interpreter: heap, globals, green virtual threads and the `threading`/`time` library,
//! stepped one visible operation at a time under an external scheduler.
//!
//! # The execution model
//!
//! A *visible operation* ([`Op`]) is an access to shared state or a synchronisation operation.
//! Everything else is local computation and never a scheduling point.
//!
//! | visible | invisible |
//! |---|---|
//! | `LoadGlobal`/`StoreGlobal` ([`Location::Global`]) | locals, constants, builtins, arithmetic on numbers, strings and tuples |
//! | `LoadDeref`/`StoreDeref` of a captured variable whose cell another thread can reach ([`Location::Cell`]) | cells only their creating thread can reach; raising and handling exceptions |
//! | attribute load/store on a *shared* instance or class ([`Location::Attr`]); a load of a name the program never stores is invisible | attributes of modules, functions and library objects (`lock.acquire`) |
//! | subscript load/store, `in`, `d.get(k)` of one item of a *shared* list or dict ([`Location::Item`]: a list index in range, a dict key present or absent) | the same on private containers |
//! | what depends on a shared container's shape or on all its items ([`Location::Items`]): `len`, iteration steps, `==`/`<`, truthiness, formatting, `in` on a list, methods that add, remove or reorder (`append`, `pop`, `sort`, storing a new dict key, `del`), builtins that read (`sum`, `sorted`, `list`, ...), a negative or out-of-range list index | the same on private containers |
//! | each piece `print` writes ([`Location::Stdout`]): `print(a, b)` is `a`, `" "`, `b`, `"\n"` (with [`VmConfig::print_atomic`], the whole call is one write); formatting a shared list or dict for `print`, `str.format` or `%` first reads it in a step of its own | |
//! | `acquire` (also `with`), `release`, `locked()` of a `Lock`/`RLock` | `Thread(...)`, `start()`, `is_alive()`, `current_thread()` |
//! | `time.sleep(x)`; `join(timeout=x)` ([`Op::Sleep`]) | `time.time()` (a frozen virtual clock) |
//! | `join()` of an unfinished thread, the main thread's wait at exit ([`Op::Join`], [`Op::ExitWait`]: not scheduling points) | a `join()` of a finished thread |
//!
//! An instruction performs at most one visible operation: a second shared access in the same
//! instruction (`shared_list == other_shared_list`) rides along with the first.
//!
//! **Private objects.** A heap object is private to the thread that created it until a
//! reference to it is stored somewhere another thread can reach: a global, an attribute or
//! element of a shared object, or a started thread's `Thread` object (its target, `args`,
//! `kwargs`). Publication is transitive. Only the owner can reach a private object, so its
//! accesses commute with everything and are local computation: the list a function builds in a
//! local variable, or the attributes `__init__` sets before the object is stored, cost no steps.
//!
//! **Steps.** Every unfinished thread is poised *before* its next visible operation, its
//! *pending op*. [`Vm::step`] executes the chosen thread's pending op and then runs that thread's
//! local computation up to (not including) its next visible operation. Whether a thread is
//! enabled is derived from its pending op and the state (a blocking acquire of a held lock is
//! not; a `Lock` re-acquired by its owner waits for itself), never stored. `Join` and `ExitWait`
//! are not scheduling points: after every step the VM *settles*, running every thread whose
//! pending op is an enabled `Join`/`ExitWait`, and every freshly started thread, on to its next
//! scheduling point. So the scheduler only ever chooses among threads poised at scheduling
//! points, and a blocked `join` never costs a decision.
//!
//! **Time** is not modelled (design §2 `--time any`): `sleep` blocks nothing, a timed
//! `acquire(timeout=x)` is a try-acquire ([`Op::Acquire`] with `blocking: false`) and a timed
//! `join(timeout=x)` is an [`Op::Sleep`]: the scheduler may place them before or after the event
//! they wait for, which covers every outcome a real timeout can produce.
//!
//! **Exceptions.** An uncaught exception in a worker appends CPython's `Exception in thread
//! NAME:` report (our frames only) to [`Vm::stderr`] and finishes that thread; in the main
//! thread it appends the traceback, records [`Vm::main_exception`], and main still waits for the
//! non-daemon threads. Daemon threads are abandoned when main passes its exit wait.
//!
//! **Limits.** A thread that runs [`VmConfig::max_local_instructions`] instructions without a
//! visible operation aborts the run ([`VmError::LocalInstructionLimit`]); recursion is limited
//! to 1000 frames (`RecursionError`); Python code called back from native code (key functions,
//! `__str__`, `__repr__`) runs atomically, nests at most 40 deep, and may not block.
//!
//! **Observers.** [`Vm::observe`] evaluates the program's observer expressions
//! ([`Program::observers`], compiled by `weft_lang::compile_with_observers`) against the current
//! state, on a scratch copy, as the main thread with every access allowed at once, and returns
//! each value's `repr` (or `<raises ...>`, `<blocks: ...>`, `<does not finish ...>`).
//!
//! The VM never sees source text: tracebacks name files and lines from the [`Program`].
#![deny(missing_docs)]

mod access;
mod builtins;
mod call;
mod dict;
mod exceptions;
mod format;
mod gc;
mod heap;
mod interp;
mod library;
mod methods;
mod observe;
mod ops;
mod repr;
mod value;
mod vm;

use std::fmt;

use serde::Serialize;
use weft_bytecode::NameId;

pub use vm::Vm;

pub use weft_bytecode::Program;

macro_rules! public_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into the table it names.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

public_id!(
    /// A virtual thread. Ids are assigned in spawn order and never reused; 0 is the main thread.
    ThreadId
);
public_id!(
    /// A heap object.
    ObjId
);

/// How the VM runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmConfig {
    /// A thread that runs more than this many instructions in one step without reaching a visible
    /// operation ends the run with [`VmError::LocalInstructionLimit`].
    pub max_local_instructions: u64,
    /// Whether [`Event::detail`] carries the value read or written (costs a `repr` per step).
    pub record_values: bool,
    /// Whether one `print(...)` call is one visible write of its whole text (`--print atomic`,
    /// for readable output) instead of one write per piece as in CPython. Formatting a shared
    /// list or dict still reads it in a step of its own first.
    pub print_atomic: bool,
    /// The seed of the `random` module (`--data-seed`): random values are data, the same in
    /// every schedule.
    pub data_seed: u64,
    /// `--time virtual`: a virtual clock that advances only when no thread can run; `sleep`,
    /// timeouts and `Timer`s wait for it. Off (`--time any`): a timed wait may end at any
    /// moment and the clock stands still.
    pub virtual_time: bool,
}

impl Default for VmConfig {
    fn default() -> VmConfig {
        VmConfig {
            max_local_instructions: 10_000_000,
            record_values: false,
            print_atomic: false,
            data_seed: 0,
            virtual_time: false,
        }
    }
}

/// A piece of shared state a visible operation touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Location {
    /// A module-level variable.
    Global(#[serde(serialize_with = "serialize_name")] NameId),
    /// An attribute of a heap object (an instance or a class).
    Attr(ObjId, #[serde(serialize_with = "serialize_name")] NameId),
    /// One item of a list or dict: a list index that is in range, or a dict key (present or
    /// absent: whether a key is there is part of its item's value). The key is an [`ItemKey`].
    Item(ObjId, ItemKey),
    /// A whole list or dict: its shape (length, order, which keys it has) and every item.
    /// Conflicts with each of its [`Location::Item`]s: appending, inserting, removing,
    /// clearing, sorting, `len`, iteration, comparison, formatting and copying touch it.
    Items(ObjId),
    /// A function's local variable captured by a nested function (a cell) that more than one
    /// thread can reach.
    Cell(ObjId),
    /// The standard output stream.
    Stdout,
}

/// Which item of a container a [`Location::Item`] is: a list's index, or the hash of a dict key
/// (the VM's own dict hash, so keys Python finds equal, `1`, `1.0` and `True`, are one item).
/// Two different keys with the same hash are one item too: a collision only merges items, which
/// can make two accesses look dependent but never independent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ItemKey(pub u64);

/// Serialises a name id as its number (`weft-bytecode` has no serde dependency).
fn serialize_name<S: serde::Serializer>(name: &NameId, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u32(name.0)
}

/// A visible operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Op {
    /// A read of shared state.
    Read(Location),
    /// A write of shared state; each piece written by `print` is `Write(Location::Stdout)`.
    Write(Location),
    /// `Lock.acquire` / `RLock.acquire` (also `with lock:`); `blocking: false` is a try-acquire
    /// that is always enabled.
    Acquire {
        /// The lock.
        lock: ObjId,
        /// Whether the acquire waits for the lock.
        blocking: bool,
    },
    /// `release()` of a lock (also leaving `with lock:`).
    Release(ObjId),
    /// `Lock.locked()`.
    LockQuery(ObjId),
    /// `time.sleep(x)`: a pure scheduling point.
    Sleep,
    /// `Thread.join()` of a thread that has not finished (not a scheduling point).
    Join(ThreadId),
    /// The main thread after its module code ended, waiting for the non-daemon threads
    /// (not a scheduling point).
    ExitWait,
    /// The main thread ends the program while daemon threads still run: they are stopped
    /// wherever they are. Dependent on every operation of every other thread.
    Exit,
    /// An operation on a library synchronisation object: a `Semaphore`, `Event`, `Condition`,
    /// `Barrier`, `Timer`, queue, or a thread pool and its futures (whose operations all name
    /// the executor, so they are mutually dependent). Any two on the same `obj` are dependent.
    Sync {
        /// The object whose state the operation reads or changes.
        obj: ObjId,
        /// What it does.
        kind: SyncOp,
    },
}

/// What an [`Op::Sync`] does. `blocking: true` variants may wait (the thread is blocked until
/// the object's state lets them proceed); the others are always enabled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum SyncOp {
    /// `Semaphore.acquire()` (also `with sem:`).
    SemAcquire {
        /// Whether it waits for a permit.
        blocking: bool,
    },
    /// `Semaphore.release()`.
    SemRelease,
    /// `Event.set()`.
    EventSet,
    /// `Event.clear()`.
    EventClear,
    /// `Event.wait()`: waits until the flag is set.
    EventWait {
        /// Whether it waits (a timed wait may time out at any moment: it never blocks).
        blocking: bool,
    },
    /// `Condition.notify(n)` / `notify_all()`.
    CondNotify,
    /// The middle of `Condition.wait()`: the lock is released, the thread waits to be notified.
    CondWait {
        /// Whether it waits (a timed wait may time out at any moment: it never blocks).
        blocking: bool,
    },
    /// `Barrier.wait()` arriving at the barrier.
    BarrierArrive,
    /// `Barrier.wait()` waiting for the other parties.
    BarrierLeave {
        /// Whether it waits (a timed wait may time out at any moment: it never blocks).
        blocking: bool,
    },
    /// `Barrier.abort()` or `Barrier.reset()`.
    BarrierBreak,
    /// `put` on a queue.
    QueuePut {
        /// Whether it waits for room.
        blocking: bool,
    },
    /// `get` on a queue.
    QueueGet {
        /// Whether it waits for an item.
        blocking: bool,
    },
    /// `task_done()` on a queue.
    QueueTaskDone,
    /// `join()` on a queue: waits until every item put was marked done.
    QueueJoin,
    /// `ThreadPoolExecutor.submit()` (and each item of `map()`).
    Submit,
    /// An idle pool worker taking its next work item (or leaving after shutdown).
    WorkGet,
    /// A pool worker storing its task's result or exception in the task's future.
    TaskDone {
        /// The future.
        future: ObjId,
    },
    /// `ThreadPoolExecutor.shutdown()` (also leaving `with executor:`).
    Shutdown,
    /// `Future.result()` / `Future.exception()`, and each step of `as_completed`/`wait`.
    FutureWait {
        /// The future.
        future: ObjId,
        /// Whether it waits for the future to be done.
        blocking: bool,
    },
    /// The next step of iterating `as_completed(fs)`: waits until one of the futures the
    /// iterator has not yielded yet is done.
    AsCompleted {
        /// The iterator.
        iter: ObjId,
    },
    /// Consuming a whole futures iterator in one instruction (`list(executor.map(...))`):
    /// waits until every future it has not yielded yet is done.
    AllDone {
        /// The iterator.
        iter: ObjId,
    },
    /// `Future.cancel()`.
    FutureCancel,
    /// A `Timer` thread's interval has passed: it runs its function unless cancelled.
    TimerFire,
    /// `Timer.cancel()`.
    TimerCancel,
    /// Reading the object's state: `is_set()`, `qsize()`, `empty()`, `full()`, `done()`,
    /// `n_waiting`, `broken`, `Semaphore._value`, ...
    Query,
}

impl SyncOp {
    /// The waiting form of a timed wait (`blocking: true`), for `--time virtual`.
    pub fn waiting(self) -> SyncOp {
        match self {
            SyncOp::SemAcquire { .. } => SyncOp::SemAcquire { blocking: true },
            SyncOp::EventWait { .. } => SyncOp::EventWait { blocking: true },
            SyncOp::CondWait { .. } => SyncOp::CondWait { blocking: true },
            SyncOp::BarrierLeave { .. } => SyncOp::BarrierLeave { blocking: true },
            SyncOp::QueuePut { .. } => SyncOp::QueuePut { blocking: true },
            SyncOp::QueueGet { .. } => SyncOp::QueueGet { blocking: true },
            SyncOp::FutureWait { future, .. } => SyncOp::FutureWait {
                future,
                blocking: true,
            },
            other => other,
        }
    }

    /// Whether this operation may wait.
    pub fn may_block(&self) -> bool {
        match *self {
            SyncOp::SemAcquire { blocking }
            | SyncOp::EventWait { blocking }
            | SyncOp::CondWait { blocking }
            | SyncOp::BarrierLeave { blocking }
            | SyncOp::QueuePut { blocking }
            | SyncOp::QueueGet { blocking }
            | SyncOp::FutureWait { blocking, .. } => blocking,
            SyncOp::QueueJoin
            | SyncOp::WorkGet
            | SyncOp::AsCompleted { .. }
            | SyncOp::AllDone { .. } => true,
            _ => false,
        }
    }

    /// Whether two operations of different threads on the same object may not commute. Reads
    /// of the state commute, and so do operations whose effects commute: two releases of a
    /// semaphore, two sets (or clears) of an event, two threads leaving a condition wait or a
    /// full barrier, two workers storing the results of different tasks (or one storing a
    /// result while another takes work), waits for different futures.
    pub fn conflicts_with(&self, other: &SyncOp) -> bool {
        use SyncOp::*;
        let reads = |op: &SyncOp| {
            matches!(
                op,
                Query | EventWait { .. } | FutureWait { .. } | AsCompleted { .. } | AllDone { .. }
            )
        };
        match (self, other) {
            (a, b) if reads(a) && reads(b) => false,
            (SemRelease, SemRelease)
            | (EventSet, EventSet)
            | (EventClear, EventClear)
            | (CondWait { blocking: true }, CondWait { blocking: true })
            | (BarrierLeave { blocking: true }, BarrierLeave { blocking: true })
            | (TaskDone { .. }, TaskDone { .. })
            | (TaskDone { .. }, WorkGet)
            | (WorkGet, TaskDone { .. }) => false,
            (FutureWait { future: a, .. }, TaskDone { future: b })
            | (TaskDone { future: b }, FutureWait { future: a, .. }) => a == b,
            _ => true,
        }
    }
}

/// What a lock operation did to the lock's ownership, the only part of a lock's state other
/// threads can observe (the recursion count of an `RLock` is its owner's alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum LockAccess {
    /// An acquire that took a free lock.
    Take,
    /// A release that freed the lock (the outermost one of an `RLock`).
    Give,
    /// Looked at the owner without changing it: `locked()`, a try-acquire that failed, a
    /// `release()` by a thread that does not hold it.
    Observe,
}

/// One thing a step really touched: what DPOR's dependence and the detectors' happens-before
/// are computed from. A step's [`Footprint`] lists them all, its visible op first, then what
/// its local computation did that other threads can see or change: an attribute found on a
/// shared class, a thread's liveness asked by `is_alive()`, a thread started or ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Access {
    /// Read a shared location.
    Read(Location),
    /// Wrote a shared location.
    Write(Location),
    /// Changed or observed a lock's owner. A reentrant acquire or an inner release of an
    /// `RLock` touches nothing shared: only the owner's count changes.
    Lock {
        /// The lock.
        lock: ObjId,
        /// What it did.
        kind: LockAccess,
    },
    /// An operation on a library synchronisation object.
    Sync {
        /// The object.
        obj: ObjId,
        /// The operation.
        kind: SyncOp,
    },
    /// A thread's life (by its `Thread` object): `start()` and the thread's end change it;
    /// `is_alive()` and `join()` observe it.
    Thread {
        /// The `Thread` object.
        thread: ObjId,
        /// Whether the step changed it.
        changes: bool,
    },
    /// Waited for a thread's end (`join()`): ordered after it, but never racing with it, since
    /// the wait cannot be moved before the end it waits for.
    Joined(ObjId),
    /// Observed which threads are alive: `threading.enumerate()`, `active_count()`. Depends on
    /// every thread's start and end.
    LiveThreads,
    /// The main thread's code ended (`ends`), or a step depended on whether it had: a pool
    /// refuses new work and lets idle workers leave from then on.
    ProgramEnd {
        /// Whether the step ended it.
        ends: bool,
    },
    /// Took a number from the counter behind default thread names (`Thread-N`).
    NameCounter,
    /// Ended the program while daemon threads ran: dependent on everything.
    Exit,
}

/// Everything one step touched, by the threads that touched it: the stepping thread, and any
/// thread the VM ran on without a scheduling decision after it (a joiner let through, a thread
/// just started running to its first visible op). Small: most steps touch one thing.
pub type Footprint = smallvec::SmallVec<[(ThreadId, Access); 2]>;

impl Op {
    /// What this operation touches when it runs, as far as it can be told before it runs (a
    /// blocked thread's op never ran): a lock acquire is predicted to take the lock.
    pub fn predicted_access(&self) -> Option<Access> {
        match *self {
            Op::Read(location) => Some(Access::Read(location)),
            Op::Write(location) => Some(Access::Write(location)),
            Op::Acquire { lock, .. } => Some(Access::Lock {
                lock,
                kind: LockAccess::Take,
            }),
            Op::Release(lock) => Some(Access::Lock {
                lock,
                kind: LockAccess::Give,
            }),
            Op::LockQuery(lock) => Some(Access::Lock {
                lock,
                kind: LockAccess::Observe,
            }),
            Op::Sync { obj, kind } => Some(Access::Sync { obj, kind }),
            Op::Exit => Some(Access::Exit),
            // The main thread's wait at exit only lets it end the program: what it ends is
            // `Exit`. A join is recorded with its thread's object (`Access::Joined`).
            Op::Sleep | Op::Join(_) | Op::ExitWait => None,
        }
    }

    /// Whether the scheduler chooses before this operation. `Join` and `ExitWait` are not
    /// scheduling points: a thread waiting on them runs on as soon as they are enabled.
    pub fn is_scheduling_point(&self) -> bool {
        !matches!(self, Op::Join(_) | Op::ExitWait)
    }
}

/// What one [`Vm::step`] did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// The thread that stepped.
    pub thread: ThreadId,
    /// The visible operation it performed.
    pub op: Op,
    /// The source line of that operation.
    pub line: u32,
    /// With [`VmConfig::record_values`]: the value read or written as a Python repr, the text
    /// printed (as a repr), `acquired`, `True`/`False`, or the exception the operation raised.
    pub detail: Option<String>,
    /// Everything the step touched, in order: what dependence and happens-before are
    /// computed from.
    #[serde(skip)]
    pub footprint: Footprint,
}

/// Where a thread is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ThreadState {
    /// Poised before an enabled visible operation.
    Ready,
    /// Poised before a visible operation that cannot proceed yet.
    Blocked(BlockReason),
    /// Ran to completion (or died of an uncaught exception, or was an abandoned daemon).
    Finished,
}

/// Why a thread cannot proceed: exactly the wait-for edge a deadlock detector needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum BlockReason {
    /// A blocking acquire of a lock held by `owner` (a `Lock` re-acquired by its owner waits for
    /// itself).
    Lock {
        /// The lock.
        lock: ObjId,
        /// The thread holding it.
        owner: Option<ThreadId>,
    },
    /// `join()` of an unfinished thread.
    Join(ThreadId),
    /// The main thread at exit, waiting for the non-daemon threads.
    ExitWait,
    /// A blocking operation on a library synchronisation object.
    Sync {
        /// The object.
        obj: ObjId,
        /// The operation.
        op: SyncOp,
        /// The threads that could let it proceed (the wait-for edges): the holders of a
        /// semaphore's permits, the worker running a future, the parties missing at a barrier,
        /// or, for an event, condition or queue, every other live thread.
        waits_for: Vec<ThreadId>,
    },
}

/// The state of the whole run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum RunStatus {
    /// Some thread is enabled.
    Running,
    /// Every thread finished.
    Completed,
    /// Some thread is unfinished and none is enabled.
    Deadlocked,
    /// The run was stopped by the VM.
    Aborted(VmError),
}

/// Why the VM stopped a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum VmError {
    /// A thread ran too long without reaching a visible operation (likely an infinite loop).
    LocalInstructionLimit {
        /// The thread.
        thread: ThreadId,
        /// The line it was executing when stopped.
        line: u32,
        /// How many instructions it ran.
        instructions: u64,
    },
}

impl fmt::Display for VmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VmError::LocalInstructionLimit {
                thread,
                line,
                instructions,
            } => write!(
                f,
                "thread {thread} ran {instructions} instructions without a visible operation at \
                 line {line}: likely an infinite loop (raise max_local_instructions if it is not)"
            ),
        }
    }
}

impl std::error::Error for VmError {}
