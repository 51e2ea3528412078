//! weft's interpreter: heap, globals, green virtual threads and the `threading`/`time` library,
//! stepped one visible operation at a time under an external scheduler.
//!
//! # The execution model
//!
//! A *visible operation* ([`Op`]) is an access to shared state (a global, an attribute of a heap
//! object, an element of a list or dict, a piece written to stdout) or a synchronisation
//! operation (lock acquire/release, sleep, join). Everything else is local computation.
//!
//! Every unfinished thread is poised *before* its next visible operation, its *pending op*.
//! [`Vm::step`] executes the chosen thread's pending op and then runs that thread's local
//! computation up to (not including) its next visible operation. Whether a thread is enabled is
//! derived from its pending op and the state (a blocking acquire of a held lock is not), never
//! stored. `Join` and `ExitWait` are not scheduling points: after every step the VM *settles*,
//! running every thread whose pending op is an enabled non-scheduling op, and every freshly
//! started thread, on to its next scheduling point. So the scheduler only ever chooses among
//! threads poised at scheduling points.
//!
//! The VM never sees source text: tracebacks name files and lines from the [`Program`].
#![deny(missing_docs)]

mod access;
mod builtins;
mod call;
mod dict;
mod exceptions;
mod format;
mod heap;
mod interp;
mod library;
mod methods;
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
}

impl Default for VmConfig {
    fn default() -> VmConfig {
        VmConfig {
            max_local_instructions: 10_000_000,
            record_values: false,
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
    /// Any element of a list or dict (coarse: the whole container is one location).
    Item(ObjId),
    /// The standard output stream.
    Stdout,
}

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
}

impl Op {
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
