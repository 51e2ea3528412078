//! The [`Vm`]: its state, the public stepping API, settling and descriptions.

use std::collections::HashMap;
use std::sync::Arc;

use weft_bytecode::{BUILTINS, CodeId, Const, Instr, NameId, Program};

use crate::exceptions::{self, ExcKind, MAIN_THREAD_CLASS};
use crate::heap::{Attrs, HeapEntry, Instance, Label, Object, Payload, ThreadObject, ThreadRole};
use crate::value::{Builtin, Tuple, Value};
use crate::{
    Access, BlockReason, Event, Location, ObjId, Op, RunStatus, SyncOp, ThreadId, ThreadState,
    VmConfig, VmError,
};

/// The maximum number of frames in one thread (CPython's default recursion limit).
pub(crate) const MAX_FRAMES: usize = 1000;

/// How deep native code recurses into nested values (`repr`, `hash`, comparisons) before
/// raising `RecursionError`, keeping the Rust stack bounded.
pub(crate) const MAX_NESTING: u32 = 200;

/// The interpreter state of one scenario run. Cloning it snapshots the run.
#[derive(Clone)]
pub struct Vm {
    pub(crate) program: Arc<Program>,
    pub(crate) tables: Arc<Tables>,
    pub(crate) config: VmConfig,
    pub(crate) heap: Vec<HeapEntry>,
    /// Heap slots free for reuse (recycled loop iterators and collected garbage).
    pub(crate) free_slots: Vec<ObjId>,
    /// Allocations since the last garbage collection.
    pub(crate) allocations: usize,
    /// How many allocations trigger the next garbage collection.
    pub(crate) gc_threshold: usize,
    /// The fewest allocations between collections (0: collect after every allocation, for
    /// tests).
    pub(crate) gc_min_growth: usize,
    /// Module globals by name id ([`Value::Unbound`] when unset).
    pub(crate) globals: Vec<Value>,
    pub(crate) threads: Vec<VThread>,
    /// The thread being run.
    pub(crate) current: usize,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// What the program printed and logged, in order (see [`Vm::output`]).
    pub(crate) output: String,
    pub(crate) main_exception: Option<String>,
    pub(crate) aborted: Option<VmError>,
    pub(crate) steps: u64,
    /// The counter behind default thread names (`Thread-N`).
    pub(crate) thread_counter: u32,
    /// The event of the step in progress.
    pub(crate) event: Option<Event>,
    /// What the step in progress touched so far (see [`crate::Access`]).
    pub(crate) footprint: crate::Footprint,
    /// Whether the instruction being executed already performed its visible op.
    pub(crate) instr_has_op: bool,
    /// Depth of native code calling back into Python code (key functions, `__str__`), which
    /// runs atomically.
    pub(crate) atomic_depth: u32,
    /// Instructions run by the current thread in this step.
    pub(crate) budget: u64,
    /// Reusable argument buffers for native calls.
    pub(crate) arg_pool: Vec<crate::call::Args>,
    /// Current depth of native recursion into nested values (see [`MAX_NESTING`]).
    pub(crate) nesting: u32,
    /// Whether this is a scratch copy evaluating observers (see `Vm::observe`).
    pub(crate) observing: bool,
    /// While observing: the op that an observer would have had to wait for.
    pub(crate) observer_blocked: Option<Op>,
    /// The main thread has finished its module code: thread pools stop taking work (CPython's
    /// `concurrent.futures` exit hook).
    pub(crate) exiting: bool,
    /// `ThreadPoolExecutor._counter`: numbers the pools' default thread name prefixes.
    pub(crate) executor_counter: u32,
    /// The `random` module's generator.
    pub(crate) rng: crate::library::Rng,
    /// The `logging` module's root logger configuration.
    pub(crate) logging: crate::library::LoggingConfig,
    /// Daemon threads the end of the program stopped while they held locks: the thread, the
    /// locks, the line it was stopped at.
    pub(crate) stopped_daemons: Vec<(ThreadId, Vec<ObjId>, Option<u32>)>,
    /// Seconds on the virtual clock (`--time virtual`; it stays 0 otherwise).
    pub(crate) clock: f64,
    /// The futures whose task raised, in the order they failed.
    pub(crate) failed_futures: Vec<ObjId>,
}

/// Per-program tables computed once and shared by every clone of a [`Vm`].
pub(crate) struct Tables {
    /// Identifier texts: the program's names, then names the VM interned itself.
    pub(crate) names: Vec<Arc<str>>,
    pub(crate) name_index: HashMap<Arc<str>, NameId>,
    /// Whether the program stores an attribute of this name anywhere.
    pub(crate) stored: Vec<bool>,
    /// The builtin a name resolves to, by name id.
    pub(crate) builtins: Vec<Option<Value>>,
    /// The program's constants as values.
    pub(crate) consts: Vec<Value>,
    /// Well-known names.
    pub(crate) sym: Symbols,
    /// `()`, shared.
    pub(crate) empty_tuple: Tuple,
}

/// Name ids of names the VM looks up itself.
pub(crate) struct Symbols {
    pub(crate) init: NameId,
    pub(crate) str_: NameId,
    pub(crate) repr: NameId,
    pub(crate) enter: NameId,
    pub(crate) exit: NameId,
    pub(crate) run: NameId,
}

impl Tables {
    fn new(program: &Program) -> Tables {
        let mut names: Vec<Arc<str>> = program
            .names
            .iter()
            .map(|n| Arc::from(n.as_str()))
            .collect();
        let mut name_index: HashMap<Arc<str>, NameId> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            name_index.entry(name.clone()).or_insert(NameId(i as u32));
        }
        let mut intern = |text: &str, names: &mut Vec<Arc<str>>| -> NameId {
            if let Some(id) = name_index.get(text) {
                return *id;
            }
            let id = NameId(names.len() as u32);
            let text: Arc<str> = Arc::from(text);
            names.push(text.clone());
            name_index.insert(text, id);
            id
        };
        // Class member names come from constant tuples: intern them so attributes are keyed by id.
        for code in &program.codes {
            for instr in &code.instrs {
                if let Instr::MakeClass { members, .. } = instr
                    && let Some(Const::Tuple(items)) = program.consts.get(members.index())
                {
                    for item in items {
                        if let Const::Str(text) = item {
                            intern(text, &mut names);
                        }
                    }
                }
            }
        }
        let sym = Symbols {
            init: intern("__init__", &mut names),
            str_: intern("__str__", &mut names),
            repr: intern("__repr__", &mut names),
            enter: intern("__enter__", &mut names),
            exit: intern("__exit__", &mut names),
            run: intern("run", &mut names),
        };
        let mut stored = vec![false; names.len()];
        for id in &program.stored_attrs {
            if let Some(flag) = stored.get_mut(id.index()) {
                *flag = true;
            }
        }
        let builtins = names.iter().map(|name| builtin_value(name)).collect();
        let consts = program.consts.iter().map(const_value).collect();
        Tables {
            names,
            name_index,
            stored,
            builtins,
            consts,
            sym,
            empty_tuple: Tuple::new(Vec::new()),
        }
    }
}

/// The value a builtin name resolves to.
fn builtin_value(name: &str) -> Option<Value> {
    if !BUILTINS.contains(&name) {
        return None;
    }
    let builtin = match name {
        "__name__" => return Some(Value::str("__main__")),
        "print" => Builtin::Print,
        "len" => Builtin::Len,
        "range" => Builtin::Range,
        "enumerate" => Builtin::Enumerate,
        "zip" => Builtin::Zip,
        "reversed" => Builtin::Reversed,
        "sorted" => Builtin::Sorted,
        "min" => Builtin::Min,
        "max" => Builtin::Max,
        "sum" => Builtin::Sum,
        "abs" => Builtin::Abs,
        "round" => Builtin::Round,
        "any" => Builtin::Any,
        "all" => Builtin::All,
        "isinstance" => Builtin::Isinstance,
        "repr" => Builtin::Repr,
        "str" => Builtin::TypeStr,
        "int" => Builtin::TypeInt,
        "float" => Builtin::TypeFloat,
        "bool" => Builtin::TypeBool,
        "list" => Builtin::TypeList,
        "tuple" => Builtin::TypeTuple,
        "dict" => Builtin::TypeDict,
        "super" => Builtin::Super,
        "type" => Builtin::Type,
        "object" => return Some(Value::Obj(exceptions::OBJECT_CLASS)),
        other => {
            let kind = ExcKind::ALL.iter().find(|kind| kind.name() == other)?;
            return Some(Value::Obj(exceptions::exc_class(*kind)));
        }
    };
    Some(Value::Builtin(builtin))
}

/// A constant as a value.
fn const_value(constant: &Const) -> Value {
    match constant {
        Const::None => Value::None,
        Const::Bool(b) => Value::Bool(*b),
        Const::Int(i) => Value::Int(*i),
        Const::Float(f) => Value::Float(*f),
        Const::Str(s) => Value::str(s),
        Const::Tuple(items) => Value::tuple(items.iter().map(const_value).collect()),
    }
}

/// A virtual thread.
#[derive(Clone, Debug)]
pub(crate) struct VThread {
    /// The `threading.Thread` object.
    pub(crate) object: ObjId,
    pub(crate) frames: Vec<Frame>,
    /// Locals and operand stacks of all frames.
    pub(crate) stack: Vec<Value>,
    pub(crate) phase: Phase,
    /// The op the thread is poised before, and its line.
    pub(crate) pending: Option<(Op, u32)>,
    /// Set by `step`: the next visible op may proceed.
    pub(crate) granted: bool,
    /// Progress of a multi-step native call (pieces of a `print`).
    pub(crate) progress: u32,
    /// The text of the `print` piece whose shared argument was read in an earlier step.
    pub(crate) print_text: Option<Arc<str>>,
    /// With [`VmConfig::print_atomic`]: the text of each `print` argument done so far (`None`
    /// for one formatted only when the whole text is written).
    pub(crate) print_texts: Vec<Option<Arc<str>>>,
    pub(crate) daemon: bool,
    /// For a thread in [`Phase::Boot`]: keyword names of the initial call (its arguments are on
    /// the stack after the callee) and the line of `start()`.
    pub(crate) boot_kw: Vec<Arc<str>>,
    pub(crate) boot_line: u32,
    /// The thread that started this one (`None` for the main thread).
    pub(crate) parent: Option<ThreadId>,
    /// The uncaught exception that ended the thread, as its last traceback line.
    pub(crate) exception: Option<String>,
    /// The threads this one has joined (completed `join()` calls), in order.
    pub(crate) joined: Vec<ThreadId>,
    /// Inside `Condition.wait()`: the `RLock` recursion count to restore.
    pub(crate) saved_count: u32,
    /// Inside `Condition.wait()`: whether the wait was notified.
    pub(crate) notified: bool,
    /// A `Timer` thread whose interval has passed.
    pub(crate) timer_fired: bool,
    /// A pool worker's current task.
    pub(crate) task: Option<Task>,
    /// With `--time virtual`: when the pending timed wait (a `sleep`, a timeout) gives up.
    pub(crate) wake_at: Option<f64>,
    /// A `join(timeout)` in progress: the thread it waits for.
    pub(crate) join_target: Option<ThreadId>,
}

impl VThread {
    /// A thread of `object` in `phase` with `stack`: no frames, nothing pending, started by no
    /// one (callers set `parent`, `daemon`, `boot_kw` and `boot_line` as they need).
    pub(crate) fn new(object: ObjId, phase: Phase, stack: Vec<Value>) -> VThread {
        VThread {
            object,
            frames: Vec::new(),
            stack,
            phase,
            pending: None,
            granted: false,
            progress: 0,
            print_text: None,
            print_texts: Vec::new(),
            daemon: false,
            boot_kw: Vec::new(),
            boot_line: 1,
            joined: Vec::new(),
            parent: None,
            exception: None,
            saved_count: 0,
            notified: false,
            timer_fired: false,
            task: None,
            wake_at: None,
            join_target: None,
        }
    }
}

/// The task a pool worker runs.
#[derive(Clone, Debug)]
pub(crate) struct Task {
    /// Its future.
    pub(crate) future: ObjId,
    /// Once it has ended: its result or exception, to be stored in the future.
    pub(crate) outcome: Option<Result<Value, ObjId>>,
}

/// The life cycle of a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Started but not yet run: the stack holds the initial call.
    Boot,
    /// Running frames.
    Running,
    /// The main thread after its module code: waiting for the non-daemon threads.
    Exiting,
    /// A pool worker between tasks (its call, once taken, is set up as in `Boot`).
    Worker,
    /// Done.
    Finished,
}

/// A function activation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub(crate) code: CodeId,
    /// The next instruction.
    pub(crate) pc: u32,
    /// Where the locals start in the thread's stack.
    pub(crate) base: u32,
    /// Where the operand stack starts (after the locals).
    pub(crate) stack_start: u32,
    /// The stack length to restore on return (the callee slot).
    pub(crate) ret: u32,
    pub(crate) kind: FrameKind,
    /// The exception being handled (`except` clauses and exceptional `finally` bodies set it;
    /// a new frame starts with its caller's).
    pub(crate) handled: Option<ObjId>,
    /// The class the function was defined in, for zero-argument `super()`.
    pub(crate) class: Option<ObjId>,
}

/// What happens to a frame's return value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrameKind {
    /// Pushed on the caller's stack.
    Normal,
    /// An `__init__`: must return `None`; the instance is pushed instead.
    Init(ObjId),
    /// Discarded (`__exit__` on normal exit).
    Discard,
    /// `__exit__` during an exception: a truthy result suppresses it, else it is re-raised.
    ExitExc(ObjId),
}

impl Vm {
    /// A VM for `program` with the main thread created and run to its first visible op.
    pub fn new(program: Arc<Program>, config: VmConfig) -> Vm {
        let tables = Arc::new(Tables::new(&program));
        let n_globals = tables.names.len();
        let mut vm = Vm {
            program: program.clone(),
            tables,
            config: config.clone(),
            heap: exceptions::builtin_classes(),
            free_slots: Vec::new(),
            allocations: 0,
            gc_threshold: crate::gc::MIN_GC_THRESHOLD,
            gc_min_growth: crate::gc::MIN_GC_THRESHOLD,
            globals: vec![Value::Unbound; n_globals],
            threads: Vec::new(),
            current: 0,
            stdout: String::new(),
            stderr: String::new(),
            output: String::new(),
            main_exception: None,
            aborted: None,
            steps: 0,
            thread_counter: 0,
            event: None,
            footprint: crate::Footprint::new(),
            instr_has_op: false,
            atomic_depth: 0,
            budget: 0,
            arg_pool: Vec::new(),
            nesting: 0,
            observing: false,
            observer_blocked: None,
            exiting: false,
            executor_counter: 0,
            rng: crate::library::Rng::new(config.data_seed),
            logging: crate::library::LoggingConfig::default(),
            stopped_daemons: Vec::new(),
            clock: 0.0,
            failed_futures: Vec::new(),
        };
        let main_object = vm.alloc(Object::Instance(Instance {
            class: MAIN_THREAD_CLASS,
            attrs: Attrs::default(),
            payload: Payload::Thread(Box::new(ThreadObject {
                name: Arc::from("MainThread"),
                target: Value::None,
                args: Value::tuple(Vec::new()),
                kwargs: Value::None,
                daemon: false,
                initialized: true,
                thread: Some(ThreadId(0)),
                role: crate::heap::ThreadRole::Plain,
            })),
        }));
        vm.heap[main_object.index()].shared = true;
        let main_code = program.code(program.main);
        let n_locals = main_code.local_names.len();
        let mut main = VThread::new(main_object, Phase::Running, vec![Value::Unbound; n_locals]);
        main.frames.push(Frame {
            code: program.main,
            pc: 0,
            base: 0,
            stack_start: n_locals as u32,
            ret: 0,
            kind: FrameKind::Normal,
            handled: None,
            class: None,
        });
        vm.threads.push(main);
        vm.settle();
        vm.advance_clock();
        vm
    }

    /// The program being run.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The number of threads started so far; their ids are `0..n_threads()`.
    pub fn n_threads(&self) -> usize {
        self.threads.len()
    }

    /// The thread's current name (`MainThread`, `Thread-1 (worker)`).
    pub fn thread_name(&self, thread: ThreadId) -> &str {
        let object = self.threads[thread.index()].object;
        match &self.heap[object.index()].object {
            Object::Instance(Instance {
                payload: Payload::Thread(data),
                ..
            }) => &data.name,
            _ => "?",
        }
    }

    /// Whether the thread is ready, blocked (and on what) or finished.
    pub fn thread_state(&self, thread: ThreadId) -> ThreadState {
        let th = &self.threads[thread.index()];
        if th.phase == Phase::Finished {
            return ThreadState::Finished;
        }
        match th.pending {
            Some((op, _)) if !self.op_enabled(thread.index(), &op) => {
                ThreadState::Blocked(self.block_reason(thread.index(), &op))
            }
            _ => ThreadState::Ready,
        }
    }

    pub(crate) fn block_reason(&self, index: usize, op: &Op) -> BlockReason {
        match *op {
            Op::Acquire { lock, .. } => BlockReason::Lock {
                lock,
                owner: match &self.heap[lock.index()].object {
                    Object::Lock(lock) => lock.owner,
                    _ => None,
                },
            },
            Op::Join(thread) => BlockReason::Join(thread),
            Op::Sync { obj, kind } => BlockReason::Sync {
                obj,
                op: kind,
                waits_for: self.sync_waits_for(index, obj, kind),
            },
            _ => BlockReason::ExitWait,
        }
    }

    /// Clears `out`, then pushes the enabled threads in ascending order.
    pub fn enabled_threads(&self, out: &mut Vec<ThreadId>) {
        out.clear();
        if self.aborted.is_some() {
            return;
        }
        for index in 0..self.threads.len() {
            if self.enabled(index) {
                out.push(ThreadId(index as u32));
            }
        }
    }

    /// Whether the thread can be stepped now.
    pub fn is_enabled(&self, thread: ThreadId) -> bool {
        self.aborted.is_none() && self.enabled(thread.index())
    }

    fn enabled(&self, index: usize) -> bool {
        let th = &self.threads[index];
        match th.pending {
            Some((op, _)) if th.phase != Phase::Finished => self.op_enabled(index, &op),
            _ => false,
        }
    }

    /// Whether `op` can proceed for thread `index` in the current state. With `--time
    /// virtual`, a timed wait proceeds once what it waits for happened or its deadline passed.
    pub(crate) fn op_enabled(&self, index: usize, op: &Op) -> bool {
        let th = &self.threads[index];
        let Some(deadline) = th.wake_at else {
            return self.op_enabled_now(index, op);
        };
        if self.clock >= deadline {
            return true;
        }
        match *op {
            Op::Sleep => th
                .join_target
                .is_some_and(|target| self.threads[target.index()].phase == Phase::Finished),
            Op::Acquire { lock, .. } => self.op_enabled_now(
                index,
                &Op::Acquire {
                    lock,
                    blocking: true,
                },
            ),
            Op::Sync {
                obj,
                kind: SyncOp::TimerFire,
            } => matches!(
                self.thread_data(obj).map(|data| data.role),
                Some(ThreadRole::Timer {
                    cancelled: true,
                    ..
                })
            ),
            Op::Sync { obj, kind } => self.sync_enabled(index, obj, kind.waiting()),
            _ => self.op_enabled_now(index, op),
        }
    }

    /// With `--time virtual`, sets the deadline of the timed wait the current thread is about
    /// to make (once: the instruction may be run again before the wait proceeds).
    pub(crate) fn timed_wait(&mut self, seconds: Option<f64>) {
        if let (true, Some(seconds)) = (self.config.virtual_time, seconds) {
            let clock = self.clock;
            let th = &mut self.threads[self.current];
            if th.wake_at.is_none() {
                th.wake_at = Some(clock + seconds.max(0.0));
            }
        }
    }

    /// With `--time virtual`: while no thread can run and some wait for a deadline, moves the
    /// clock to the earliest deadline.
    pub(crate) fn advance_clock(&mut self) {
        if !self.config.virtual_time || self.aborted.is_some() {
            return;
        }
        while !(0..self.threads.len()).any(|index| self.enabled(index)) {
            let next = self
                .threads
                .iter()
                .filter(|th| th.phase != Phase::Finished)
                .filter_map(|th| th.wake_at)
                .filter(|&deadline| deadline > self.clock)
                .min_by(f64::total_cmp);
            match next {
                Some(deadline) => self.clock = deadline,
                None => return,
            }
        }
    }

    /// The virtual clock, in seconds since the program started (0 unless `--time virtual`).
    pub fn clock(&self) -> f64 {
        self.clock
    }

    /// Whether `op` can proceed for thread `index` now, ignoring deadlines.
    fn op_enabled_now(&self, index: usize, op: &Op) -> bool {
        match *op {
            Op::Acquire {
                lock,
                blocking: true,
            } => match &self.heap[lock.index()].object {
                Object::Lock(lock) => lock.can_acquire(ThreadId(index as u32)),
                _ => true,
            },
            Op::Join(thread) => self.threads[thread.index()].phase == Phase::Finished,
            // Ending the program waits, like the wait before it, for every non-daemon thread: a
            // daemon may start one after the main thread passed its wait.
            Op::ExitWait | Op::Exit => self
                .threads
                .iter()
                .enumerate()
                .all(|(i, th)| i == index || th.daemon || th.phase == Phase::Finished),
            Op::Sync { obj, kind } => self.sync_enabled(index, obj, kind),
            _ => true,
        }
    }

    /// Whether `op` could proceed for `thread` in the current state if the thread were poised
    /// before it (DPOR asks this of earlier states to tell which races can be reversed).
    pub fn could_perform(&self, thread: ThreadId, op: &Op) -> bool {
        let exists = |obj: &ObjId| obj.index() < self.heap.len();
        let objects_exist = match op {
            Op::Sync { obj, kind } => {
                exists(obj)
                    && match kind {
                        crate::SyncOp::FutureWait { future, .. } => exists(future),
                        crate::SyncOp::AsCompleted { iter } | crate::SyncOp::AllDone { iter } => {
                            exists(iter)
                        }
                        _ => true,
                    }
            }
            _ => true,
        };
        objects_exist && thread.index() < self.threads.len() && self.op_enabled(thread.index(), op)
    }

    /// The op the thread will perform next; `None` when it has finished.
    pub fn pending_op(&self, thread: ThreadId) -> Option<Op> {
        let th = &self.threads[thread.index()];
        if th.phase == Phase::Finished {
            return None;
        }
        th.pending.map(|(op, _)| op)
    }

    /// The source line of the thread's pending op.
    pub fn pending_line(&self, thread: ThreadId) -> Option<u32> {
        let th = &self.threads[thread.index()];
        if th.phase == Phase::Finished {
            return None;
        }
        th.pending.map(|(_, line)| line)
    }

    /// The state of the run.
    pub fn status(&self) -> RunStatus {
        if let Some(error) = &self.aborted {
            return RunStatus::Aborted(error.clone());
        }
        if self.threads.iter().all(|th| th.phase == Phase::Finished) {
            return RunStatus::Completed;
        }
        if (0..self.threads.len()).any(|index| self.enabled(index)) {
            RunStatus::Running
        } else {
            RunStatus::Deadlocked
        }
    }

    /// Executes the thread's pending op, runs it on to its next one, settles, and returns what
    /// the op did.
    ///
    /// # Panics
    ///
    /// When the run is not [`RunStatus::Running`] or the thread is not enabled: both are bugs
    /// in the caller.
    pub fn step(&mut self, thread: ThreadId) -> Event {
        assert!(
            self.aborted.is_none(),
            "step called on an aborted run: {:?}",
            self.aborted
        );
        assert!(
            self.enabled(thread.index()),
            "step called for thread {thread}, which is not enabled ({:?})",
            self.thread_state(thread)
        );
        self.event = None;
        self.footprint.clear();
        self.threads[thread.index()].granted = true;
        self.run_thread(thread.index());
        let mut event = self.event.take().unwrap_or_else(|| {
            panic!("thread {thread} did not perform its pending op (a weft bug)")
        });
        self.settle();
        self.advance_clock();
        self.steps += 1;
        self.maybe_collect();
        event.footprint = std::mem::take(&mut self.footprint);
        event
    }

    /// The number of steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Everything the program printed to stdout so far.
    pub fn stdout(&self) -> &str {
        &self.stdout
    }

    /// Everything the program printed (stdout) and logged (`logging` records, which go to
    /// stderr), interleaved as written: what a terminal showing both streams displays, without
    /// exception reports. Outcomes are told apart by it.
    pub fn output(&self) -> &str {
        &self.output
    }

    /// Writes program output to stdout.
    pub(crate) fn write_stdout(&mut self, text: &str) {
        self.stdout.push_str(text);
        self.output.push_str(text);
    }

    /// Everything written to stderr so far (thread exception reports, tracebacks).
    pub fn stderr(&self) -> &str {
        &self.stderr
    }

    /// The daemon threads the end of the program stopped while they held locks: the thread,
    /// the locks, and the line it was stopped at.
    pub fn daemons_stopped_holding_locks(&self) -> &[(ThreadId, Vec<ObjId>, Option<u32>)] {
        &self.stopped_daemons
    }

    /// Whether `thread` is a `ThreadPoolExecutor` worker.
    pub fn is_pool_worker(&self, thread: ThreadId) -> bool {
        self.thread_data(self.threads[thread.index()].object)
            .is_some_and(|data| matches!(data.role, crate::heap::ThreadRole::Worker { .. }))
    }

    /// The thread that started `thread` (`None` for the main thread).
    pub fn thread_parent(&self, thread: ThreadId) -> Option<ThreadId> {
        self.threads[thread.index()].parent
    }

    /// The uncaught exception that ended `thread`, as CPython's last traceback line
    /// (`RuntimeError: release unlocked lock`), if one did.
    pub fn thread_exception(&self, thread: ThreadId) -> Option<&str> {
        self.threads[thread.index()].exception.as_deref()
    }

    /// The main thread's uncaught exception as CPython's last traceback line
    /// (`RuntimeError: release unlocked lock`), if it had one.
    pub fn main_exception(&self) -> Option<&str> {
        self.main_exception.as_deref()
    }

    /// Runs every thread that can advance without a scheduling decision (fresh threads to their
    /// first op, enabled `Join`/`ExitWait` onwards), until nothing changes.
    pub(crate) fn settle(&mut self) {
        loop {
            let mut changed = false;
            let mut index = 0;
            while index < self.threads.len() {
                if self.aborted.is_some() {
                    return;
                }
                let th = &self.threads[index];
                let runnable = match (th.phase, th.pending) {
                    (Phase::Finished, _) => false,
                    (_, None) => true,
                    (_, Some((op, _))) => !op.is_scheduling_point() && self.op_enabled(index, &op),
                };
                if runnable {
                    self.threads[index].pending = None;
                    self.run_thread(index);
                    changed = true;
                }
                index += 1;
            }
            if !changed {
                return;
            }
        }
    }

    /// Allocates a heap object.
    pub(crate) fn alloc(&mut self, object: Object) -> ObjId {
        self.allocations += 1;
        if let Some(id) = self.free_slots.pop() {
            self.heap[id.index()] = HeapEntry {
                object,
                label: Label::None,
                shared: false,
            };
            return id;
        }
        let id = ObjId(self.heap.len() as u32);
        self.heap.push(HeapEntry {
            object,
            label: Label::None,
            shared: false,
        });
        id
    }

    /// Whether more than one thread may reach this object.
    pub(crate) fn is_shared(&self, id: ObjId) -> bool {
        self.heap[id.index()].shared
    }

    /// Marks everything reachable from `value` shared: called whenever a reference is stored
    /// where another thread can find it (a global, a shared object or container, a started
    /// thread's target and arguments). A shared object's later additions are published by the
    /// store that adds them, so the walk stops at objects already shared.
    pub(crate) fn publish(&mut self, value: &Value) {
        let mut pending: Vec<ObjId> = Vec::new();
        self.publish_value(value, &mut pending);
        while let Some(id) = pending.pop() {
            let entry = &mut self.heap[id.index()];
            if entry.shared {
                continue;
            }
            entry.shared = true;
            let mut children: Vec<Value> = Vec::new();
            self.heap[id.index()].object.push_children(&mut children);
            for child in &children {
                self.publish_value(child, &mut pending);
            }
        }
    }

    /// Queues the private objects a value refers to directly (looking through tuples).
    fn publish_value(&self, value: &Value, pending: &mut Vec<ObjId>) {
        let mut values = vec![value];
        while let Some(value) = values.pop() {
            match value {
                Value::Obj(id)
                | Value::Native(_, id)
                | Value::BoundBuiltin(_, id)
                | Value::Super { receiver: id, .. }
                    if !self.heap[id.index()].shared =>
                {
                    pending.push(*id);
                }
                Value::Method { func, receiver } => {
                    for id in [func, receiver] {
                        if !self.heap[id.index()].shared {
                            pending.push(*id);
                        }
                    }
                }
                Value::Tuple(items) => values.extend(items.iter()),
                _ => {}
            }
        }
    }

    /// The text of a name id (program names and VM-interned ones).
    pub(crate) fn name_text(&self, name: NameId) -> &str {
        &self.tables.names[name.index()]
    }

    /// Gives an object a label if it has none, from where it is being stored.
    pub(crate) fn label(&mut self, value: &Value, label: Label) {
        if let Value::Obj(id) = value {
            let entry = &mut self.heap[id.index()];
            if entry.label == Label::None
                && !matches!(entry.object, Object::Class(_) | Object::Function(_))
            {
                entry.label = label;
            }
        }
    }

    /// The locks `thread` holds now (`Lock`s it acquired and not released, `RLock`s it owns), by
    /// id.
    pub fn held_locks(&self, thread: ThreadId) -> Vec<ObjId> {
        self.heap
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| match &entry.object {
                Object::Lock(lock) if lock.count > 0 && lock.owner == Some(thread) => {
                    Some(ObjId(index as u32))
                }
                _ => None,
            })
            .collect()
    }

    /// The threads `thread` has joined so far (each completed `join()`), in order: the
    /// happens-before edges of joins, which are not scheduling points and produce no event.
    pub fn joined(&self, thread: ThreadId) -> &[ThreadId] {
        &self.threads[thread.index()].joined
    }

    /// A short description of an object: `Lock lock1`, `RLock Account._lock`, `list results`,
    /// or `Lock #7` when it was never stored under a name.
    pub fn describe_object(&self, obj: ObjId) -> String {
        let Some(entry) = self.heap.get(obj.index()) else {
            return format!("object #{obj}");
        };
        let kind: &str = match &entry.object {
            Object::List(_) => "list",
            Object::Dict(_) => "dict",
            Object::Lock(lock) if lock.reentrant => "RLock",
            Object::Lock(_) => "Lock",
            Object::Class(class) => return format!("class {}", class.name),
            Object::Function(function) => {
                return format!("function {}", self.program.code(function.code).qualname);
            }
            Object::Instance(Instance {
                payload: Payload::Thread(data),
                ..
            }) => return format!("thread {}", data.name),
            Object::Cell(cell) => {
                let code = self.program.code(cell.code);
                let name = code
                    .local_names
                    .get(cell.slot as usize)
                    .map_or("?", String::as_str);
                return format!("variable {name} of {}", code.qualname);
            }
            Object::Instance(instance) => match &self.heap[instance.class.index()].object {
                Object::Class(class) => &class.name,
                _ => "object",
            },
            Object::DictView { kind, .. } => kind.type_name(),
            Object::Iter(..) | Object::Free => "iterator",
        };
        match entry.label {
            Label::None => format!("{kind} #{obj}"),
            Label::Global(name) => format!("{kind} {}", self.name_text(name)),
            Label::Attr(class, name) => {
                let class_name = match &self.heap[class.index()].object {
                    Object::Class(class) => class.name.to_string(),
                    _ => "?".to_owned(),
                };
                format!("{kind} {class_name}.{}", self.name_text(name))
            }
        }
    }

    /// A short description of an op: `read global counter`, `write account.balance`, `read
    /// attribute balance of Account #3`, `acquire Lock lock1`, `print`, `sleep`,
    /// `join thread 1 Thread-1 (worker)`.
    pub fn describe_op(&self, op: &Op) -> String {
        match *op {
            Op::Read(location) => format!("read {}", self.describe_location(location)),
            Op::Write(Location::Stdout) => "print".to_owned(),
            Op::Write(location) => format!("write {}", self.describe_location(location)),
            Op::Acquire {
                lock,
                blocking: true,
            } => format!("acquire {}", self.describe_object(lock)),
            Op::Acquire {
                lock,
                blocking: false,
            } => format!("try-acquire {}", self.describe_object(lock)),
            Op::Release(lock) => format!("release {}", self.describe_object(lock)),
            Op::LockQuery(lock) => format!("query {}", self.describe_object(lock)),
            Op::Sleep => "sleep".to_owned(),
            Op::Join(thread) => format!("join thread {thread} {}", self.thread_name(thread)),
            Op::ExitWait => "wait for non-daemon threads at exit".to_owned(),
            Op::Exit => "end the program, stopping the daemon threads".to_owned(),
            Op::Sync { obj, kind } => self.describe_sync_op(obj, kind),
        }
    }

    /// `global counter`, `account.balance` (an object known by the global it was first stored
    /// in), `Account.rate` (a class attribute), `attribute balance of Account Bank.account` or
    /// `attribute balance of Account #3` (other objects, as [`Vm::describe_object`] names them),
    /// an item `results[1]`, `stats['a']` (`list #7[1]` for a container not stored in a global;
    /// `a key of dict stats` for a dict key no longer there), a whole container `list results`,
    /// `stdout`.
    pub fn describe_location(&self, location: Location) -> String {
        match location {
            Location::Global(name) => format!("global {}", self.name_text(name)),
            Location::Attr(obj, name) => {
                let attr = self.name_text(name);
                let entry = &self.heap[obj.index()];
                if let Object::Class(class) = &entry.object {
                    return format!("{}.{attr}", class.name);
                }
                match entry.label {
                    Label::Global(global) => format!("{}.{attr}", self.name_text(global)),
                    Label::Attr(..) | Label::None => {
                        format!("attribute {attr} of {}", self.describe_object(obj))
                    }
                }
            }
            Location::Item(obj, key) => {
                let container = match self.heap[obj.index()].label {
                    Label::Global(global) => self.name_text(global).to_owned(),
                    _ => self.describe_object(obj),
                };
                match &self.heap[obj.index()].object {
                    Object::Dict(dict) => match dict.entries().iter().find(|e| e.hash == key.0) {
                        Some(entry) => format!("{container}[{}]", self.key_text(&entry.key)),
                        None => format!("a key of {}", self.describe_object(obj)),
                    },
                    _ => format!("{container}[{}]", key.0),
                }
            }
            Location::Items(obj) => self.describe_object(obj),
            Location::Cell(cell) => self.describe_object(cell),
            Location::Stdout => "stdout".to_owned(),
        }
    }

    /// A dict key as its repr, for naming its item: numbers, strings and tuples of them; other
    /// objects as [`Vm::describe_object`] names them (their `__repr__` is the program's code).
    fn key_text(&self, key: &Value) -> String {
        match key {
            Value::None => "None".to_owned(),
            Value::Bool(true) => "True".to_owned(),
            Value::Bool(false) => "False".to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => crate::format::float_repr(*f),
            Value::Str(text) => crate::format::str_repr(text),
            Value::Tuple(items) => {
                let texts: Vec<String> = items.iter().map(|item| self.key_text(item)).collect();
                if texts.len() == 1 {
                    format!("({},)", texts[0])
                } else {
                    format!("({})", texts.join(", "))
                }
            }
            Value::Obj(id) => self.describe_object(*id),
            _ => "...".to_owned(),
        }
    }

    /// Records an uncaught exception's report on stderr.
    pub(crate) fn report_uncaught(&mut self, index: usize, exc: ObjId) {
        let traceback = self.format_traceback(exc);
        let summary = self.exception_summary(exc);
        self.threads[index].exception = Some(summary.clone());
        if index == 0 {
            self.main_exception = Some(summary);
        } else {
            let name = self.thread_name(ThreadId(index as u32)).to_owned();
            self.stderr
                .push_str(&format!("Exception in thread {name}:\n"));
        }
        self.stderr.push_str(&traceback);
    }

    /// Marks a thread finished.
    pub(crate) fn finish_thread(&mut self, index: usize) {
        let object = self.threads[index].object;
        self.touch_as(
            index,
            Access::Thread {
                thread: object,
                changes: true,
            },
        );
        let th = &mut self.threads[index];
        th.phase = Phase::Finished;
        th.pending = None;
        th.frames.clear();
        th.stack.clear();
    }

    /// The main thread passed `ExitWait`: it finishes and the daemon threads are abandoned.
    pub(crate) fn finish_main(&mut self) {
        for index in 0..self.threads.len() {
            if self.threads[index].phase != Phase::Finished {
                let thread = ThreadId(index as u32);
                let held = self.held_locks(thread);
                if index != 0 && !held.is_empty() {
                    let line = self.pending_line(thread);
                    self.stopped_daemons.push((thread, held, line));
                }
                self.finish_thread(index);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_name_resolves() {
        for name in BUILTINS {
            assert!(
                builtin_value(name).is_some(),
                "builtin {name} does not resolve"
            );
        }
        assert!(builtin_value("not_a_builtin").is_none());
    }
}
