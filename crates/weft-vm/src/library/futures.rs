//! `concurrent.futures`: `ThreadPoolExecutor` with real virtual worker threads, `Future`,
//! `as_completed`. As in CPython 3.11, `submit` queues a work item and starts a new worker
//! (named `ThreadPoolExecutor-N_K`) unless an idle one is available (the executor's idle
//! semaphore) or `max_workers` run already; a worker takes items until the executor is shut
//! down (or the interpreter exits) and its queue is empty; an exception in a task is stored in
//! its future and surfaces only through `result()`/`exception()`.
//!
//! Every operation on an executor or on one of its futures is an [`SyncOp`] on the *executor*
//! (so they are mutually dependent): `Submit`, `WorkGet` (a worker taking its next item),
//! `TaskDone` (storing a result), `Shutdown`, `FutureWait` (`result()`/`exception()`, and each
//! step of iterating `map()`'s results), `AsCompleted`, `FutureCancel` and queries.

use std::collections::VecDeque;
use std::sync::Arc;

use super::sync::{SyncClass, SyncState};
use crate::call::Args;
use crate::exceptions::{ExcKind, THREAD_CLASS};
use crate::heap::{Attrs, Instance, Iter, Object, Payload, ThreadObject, ThreadRole};
use crate::interp::{Interrupt, Res};
use crate::value::{Method, Value};
use crate::vm::{Phase, Task, Vm};
use crate::{Access, ObjId, Op, SyncOp, ThreadId};

/// `max_workers` when none is given: CPython's `min(32, os.cpu_count() + 4)` on a machine
/// with 4 CPUs (the real number would make results depend on the machine).
const DEFAULT_MAX_WORKERS: i64 = 8;

/// A `ThreadPoolExecutor`.
#[derive(Clone, Debug)]
pub(crate) struct Executor {
    pub(crate) max_workers: i64,
    /// Worker names are `{prefix}_{k}`.
    pub(crate) prefix: Arc<str>,
    pub(crate) work: VecDeque<WorkItem>,
    pub(crate) workers: Vec<ThreadId>,
    /// The idle semaphore: released by a worker after each task, taken by `submit` instead of
    /// starting a new worker.
    pub(crate) idle: i64,
    pub(crate) shutdown: bool,
}

/// A submitted call.
#[derive(Clone, Debug)]
pub(crate) struct WorkItem {
    pub(crate) callee: Value,
    pub(crate) args: Vec<Value>,
    pub(crate) kwargs: Vec<(Arc<str>, Value)>,
    pub(crate) future: ObjId,
}

/// A `Future`.
#[derive(Clone, Debug)]
pub(crate) struct Future {
    /// The executor whose operations it shares (none for a bare `Future()`).
    pub(crate) executor: Option<ObjId>,
    pub(crate) status: FutureStatus,
    pub(crate) result: Value,
    pub(crate) exception: Option<ObjId>,
    /// The worker running it.
    pub(crate) worker: Option<ThreadId>,
    /// Whether `result()`/`exception()` ever reported its exception.
    pub(crate) retrieved: bool,
    /// The exception's last traceback line and the line that raised it, for reports.
    pub(crate) exception_text: Option<(String, Option<u32>)>,
}

/// Where a future is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FutureStatus {
    Pending,
    Running,
    Cancelled,
    Finished,
}

impl Future {
    /// A pending future.
    pub(crate) fn new(executor: Option<ObjId>) -> Future {
        Future {
            executor,
            status: FutureStatus::Pending,
            result: Value::None,
            exception: None,
            worker: None,
            retrieved: false,
            exception_text: None,
        }
    }

    /// The state as `repr` shows it.
    pub(crate) fn state_name(&self) -> String {
        match self.status {
            FutureStatus::Pending => "pending".to_owned(),
            FutureStatus::Running => "running".to_owned(),
            FutureStatus::Cancelled => "cancelled".to_owned(),
            FutureStatus::Finished => "finished".to_owned(),
        }
    }

    fn done(&self) -> bool {
        matches!(
            self.status,
            FutureStatus::Finished | FutureStatus::Cancelled
        )
    }
}

/// Iterating futures: `executor.map(...)`'s results in order, or `as_completed(fs)`.
#[derive(Clone, Debug)]
pub(crate) struct FuturesIter {
    pub(crate) futures: Vec<ObjId>,
    /// Which futures were yielded (`as_completed`) or how many (`map`: a prefix).
    pub(crate) yielded: Vec<bool>,
    /// `as_completed` (yields futures as they finish) or `map` (yields results in order).
    pub(crate) completed_order: bool,
    /// Whether a timeout was given: each wait may time out at any moment.
    pub(crate) timed: bool,
}

/// The native method `name` of an executor or a future.
pub(crate) fn futures_method(class: SyncClass, name: &str) -> Option<Method> {
    Some(match (class, name) {
        (SyncClass::Executor, "submit") => Method::ExecSubmit,
        (SyncClass::Executor, "map") => Method::ExecMap,
        (SyncClass::Executor, "shutdown") => Method::ExecShutdown,
        (SyncClass::Executor, "__enter__") => Method::ExecEnter,
        (SyncClass::Executor, "__exit__") => Method::ExecExit,
        (SyncClass::Future, "result") => Method::FutureResult,
        (SyncClass::Future, "exception") => Method::FutureException,
        (SyncClass::Future, "done") => Method::FutureDone,
        (SyncClass::Future, "running") => Method::FutureRunning,
        (SyncClass::Future, "cancelled") => Method::FutureCancelled,
        (SyncClass::Future, "cancel") => Method::FutureCancel,
        _ => return None,
    })
}

impl Vm {
    /// The state of a new `ThreadPoolExecutor(max_workers=None, thread_name_prefix='')`.
    pub(crate) fn executor_init(&mut self, args: &Args) -> Res<SyncState> {
        self.check_kwargs(
            args,
            &[
                "max_workers",
                "thread_name_prefix",
                "initializer",
                "initargs",
            ],
            "__init__",
        )?;
        if args
            .get(2, "initializer")
            .is_some_and(|init| !init.is_none())
        {
            return Err(self.unsupported("ThreadPoolExecutor(initializer=...)"));
        }
        let max_workers = match args.get(0, "max_workers").cloned() {
            None | Some(Value::None) => DEFAULT_MAX_WORKERS,
            Some(value) => self.int_arg(&value)?,
        };
        if max_workers <= 0 {
            return Err(self.value_error("max_workers must be greater than 0"));
        }
        let counter = self.executor_counter;
        self.executor_counter += 1;
        let prefix: Arc<str> = match args.get(1, "thread_name_prefix").cloned() {
            Some(value) if self.truthy(&value)? => Arc::from(self.str_of(&value)?),
            _ => Arc::from(format!("ThreadPoolExecutor-{counter}")),
        };
        Ok(SyncState::Executor(Executor {
            max_workers,
            prefix,
            work: VecDeque::new(),
            workers: Vec::new(),
            idle: 0,
            shutdown: false,
        }))
    }

    fn executor_mut(&mut self, obj: ObjId) -> &mut Executor {
        match self.sync_state_mut(obj) {
            Some(SyncState::Executor(executor)) => executor,
            _ => unreachable!("an executor method on an executor"),
        }
    }

    fn future(&self, future: ObjId) -> Option<&Future> {
        match self.sync_state(future) {
            Some(SyncState::Future(data)) => Some(data),
            _ => None,
        }
    }

    fn future_mut(&mut self, future: ObjId) -> &mut Future {
        match self.sync_state_mut(future) {
            Some(SyncState::Future(data)) => data,
            _ => unreachable!("a future method on a future"),
        }
    }

    /// The object a future's operations name: its executor, or itself.
    fn future_target(&self, future: ObjId) -> ObjId {
        self.future(future)
            .and_then(|data| data.executor)
            .unwrap_or(future)
    }

    /// Whether a future is finished or cancelled.
    pub(crate) fn future_done(&self, future: ObjId) -> bool {
        self.future(future).is_some_and(Future::done)
    }

    /// The worker running a future, if it runs.
    pub(crate) fn future_worker(&self, future: ObjId) -> Option<ThreadId> {
        self.future(future)
            .filter(|data| data.status == FutureStatus::Running)
            .and_then(|data| data.worker)
    }

    /// The live workers of an executor, if `obj` is one.
    pub(crate) fn executor_workers(&self, obj: ObjId) -> Option<Vec<ThreadId>> {
        match self.sync_state(obj) {
            Some(SyncState::Executor(executor)) => Some(
                executor
                    .workers
                    .iter()
                    .copied()
                    .filter(|t| self.threads[t.index()].phase != Phase::Finished)
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Whether an `as_completed` iterator has a finished future to yield.
    pub(crate) fn as_completed_ready(&self, iter: ObjId) -> bool {
        match &self.heap[iter.index()].object {
            Object::Iter(Iter::Futures(state), _) => state
                .futures
                .iter()
                .zip(&state.yielded)
                .any(|(&future, &yielded)| !yielded && self.future_done(future)),
            _ => true,
        }
    }

    /// Calls a method of an executor or a future.
    pub(crate) fn call_futures_method(
        &mut self,
        method: Method,
        obj: ObjId,
        args: &Args,
    ) -> Res<Value> {
        match method {
            Method::ExecSubmit => {
                let Some(callee) = args.pos.first().cloned() else {
                    return Err(
                        self.type_error("submit() missing 1 required positional argument: 'fn'")
                    );
                };
                self.sync_op(obj, SyncOp::Submit)?;
                let future = self.submit(obj, callee, args.pos[1..].to_vec(), args.kw.clone())?;
                Ok(Value::Obj(future))
            }
            Method::ExecMap => self.executor_map(obj, args),
            Method::ExecShutdown => {
                self.check_kwargs(args, &["wait", "cancel_futures"], "shutdown")?;
                let wait = match args.get(0, "wait").cloned() {
                    Some(value) => self.truthy(&value)?,
                    None => true,
                };
                let cancel = match args.kw("cancel_futures").cloned() {
                    Some(value) => self.truthy(&value)?,
                    None => false,
                };
                self.executor_shutdown(obj, wait, cancel)?;
                Ok(Value::None)
            }
            Method::ExecEnter => Ok(Value::Obj(obj)),
            Method::ExecExit => {
                self.executor_shutdown(obj, true, false)?;
                Ok(Value::Bool(false))
            }
            Method::FutureResult | Method::FutureException => {
                let name = method.name();
                self.check_kwargs(args, &["timeout"], name)?;
                let timeout = self.timeout_arg(args.get(0, "timeout"))?;
                let target = self.future_target(obj);
                self.timed_wait(timeout);
                self.sync_op(
                    target,
                    SyncOp::FutureWait {
                        future: obj,
                        blocking: timeout.is_none(),
                    },
                )?;
                self.future_outcome(obj, method == Method::FutureResult)
            }
            Method::FutureDone | Method::FutureRunning | Method::FutureCancelled => {
                self.check_kwargs(args, &[], method.name())?;
                let target = self.future_target(obj);
                self.sync_op(target, SyncOp::Query)?;
                let status = self.future_mut(obj).status;
                let value = Value::Bool(match method {
                    Method::FutureDone => {
                        matches!(status, FutureStatus::Finished | FutureStatus::Cancelled)
                    }
                    Method::FutureRunning => status == FutureStatus::Running,
                    _ => status == FutureStatus::Cancelled,
                });
                self.detail_value(&value);
                Ok(value)
            }
            Method::FutureCancel => {
                self.check_kwargs(args, &[], "cancel")?;
                let target = self.future_target(obj);
                self.sync_op(target, SyncOp::FutureCancel)?;
                let future = self.future_mut(obj);
                let cancelled = match future.status {
                    FutureStatus::Pending => {
                        future.status = FutureStatus::Cancelled;
                        true
                    }
                    FutureStatus::Cancelled => true,
                    FutureStatus::Running | FutureStatus::Finished => false,
                };
                self.detail_value(&Value::Bool(cancelled));
                Ok(Value::Bool(cancelled))
            }
            _ => unreachable!("not an executor or future method: {method:?}"),
        }
    }

    /// What `result()` (`want_result`) or `exception()` gives for a future the caller has
    /// waited for: the value, the exception raised (or returned), `CancelledError`, or
    /// `TimeoutError` when a timed wait found it unfinished.
    fn future_outcome(&mut self, future: ObjId, want_result: bool) -> Res<Value> {
        let data = self.future_mut(future);
        match data.status {
            FutureStatus::Cancelled => Err(self.error(ExcKind::CancelledError, "")),
            FutureStatus::Pending | FutureStatus::Running => {
                Err(self.error(ExcKind::TimeoutError, ""))
            }
            FutureStatus::Finished => {
                data.retrieved = true;
                match (data.exception, want_result) {
                    (Some(exc), true) => Err(Interrupt::Raise(exc)),
                    (Some(exc), false) => Ok(Value::Obj(exc)),
                    (None, true) => {
                        let result = data.result.clone();
                        self.detail_value(&result);
                        Ok(result)
                    }
                    (None, false) => Ok(Value::None),
                }
            }
        }
    }

    /// Queues a call on the executor (after its `Submit` step) and starts a worker if no idle
    /// one can take it.
    fn submit(
        &mut self,
        obj: ObjId,
        callee: Value,
        args: Vec<Value>,
        kwargs: Vec<(Arc<str>, Value)>,
    ) -> Res<ObjId> {
        if self.executor_mut(obj).shutdown {
            return Err(self.error(
                ExcKind::RuntimeError,
                "cannot schedule new futures after shutdown",
            ));
        }
        self.touch(Access::ProgramEnd { ends: false });
        if self.exiting {
            return Err(self.error(
                ExcKind::RuntimeError,
                "cannot schedule new futures after interpreter shutdown",
            ));
        }
        let future = self.new_sync_object(SyncClass::Future);
        if let Some(state) = self.sync_state_mut(future) {
            *state = SyncState::Future(Future::new(Some(obj)));
        }
        // The worker reaches the call and the future.
        let mut reached = vec![callee.clone(), Value::Obj(future)];
        reached.extend(args.iter().cloned());
        reached.extend(kwargs.iter().map(|(_, value)| value.clone()));
        self.publish(&Value::tuple(reached));
        let executor = self.executor_mut(obj);
        executor.work.push_back(WorkItem {
            callee,
            args,
            kwargs,
            future,
        });
        if executor.idle > 0 {
            executor.idle -= 1;
        } else if (executor.workers.len() as i64) < executor.max_workers {
            let name: Arc<str> =
                Arc::from(format!("{}_{}", executor.prefix, executor.workers.len()));
            let worker = self.spawn_worker(obj, name);
            self.executor_mut(obj).workers.push(worker);
        }
        Ok(future)
    }

    /// Starts a pool worker thread: it begins by taking a work item.
    fn spawn_worker(&mut self, executor: ObjId, name: Arc<str>) -> ThreadId {
        let id = ThreadId(self.threads.len() as u32);
        let object = self.alloc(Object::Instance(Instance {
            class: THREAD_CLASS,
            attrs: Attrs::default(),
            payload: Payload::Thread(Box::new(ThreadObject {
                name,
                target: Value::None,
                args: Value::tuple(Vec::new()),
                kwargs: Value::None,
                daemon: false,
                initialized: true,
                thread: Some(id),
                role: ThreadRole::Worker { executor },
            })),
        }));
        self.publish(&Value::Obj(object));
        self.spawn_thread(object, Phase::Worker, Vec::new(), Vec::new(), false);
        id
    }

    /// `executor.map(fn, *iterables, timeout=None, chunksize=1)`: submits every call in one
    /// step (CPython submits them one by one before returning; only the number of workers
    /// started can differ) and returns an iterator over the results in order.
    fn executor_map(&mut self, obj: ObjId, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["timeout", "chunksize"], "map")?;
        let Some(callee) = args.pos.first().cloned() else {
            return Err(
                self.type_error("Executor.map() missing 1 required positional argument: 'fn'")
            );
        };
        let timeout = self.timeout_arg(args.kw("timeout"))?;
        self.sync_op(obj, SyncOp::Submit)?;
        let mut columns = Vec::new();
        for iterable in &args.pos[1..] {
            columns.push(self.collect(iterable)?);
        }
        let n = columns.iter().map(Vec::len).min().unwrap_or(0);
        let mut futures = Vec::with_capacity(n);
        for row in 0..n {
            let call_args = columns.iter().map(|column| column[row].clone()).collect();
            futures.push(self.submit(obj, callee.clone(), call_args, Vec::new())?);
        }
        Ok(self.futures_iter(futures, false, timeout.is_some()))
    }

    /// `shutdown(wait, cancel_futures)`: one step marks the executor shut down (no new work,
    /// workers leave when the queue is empty); with `wait`, the caller then waits for every
    /// worker to finish (joins are not scheduling points). The thread's `progress` records
    /// that the first part is done.
    fn executor_shutdown(&mut self, obj: ObjId, wait: bool, cancel: bool) -> Res {
        if self.threads[self.current].progress == 0 {
            self.sync_op(obj, SyncOp::Shutdown)?;
            let executor = self.executor_mut(obj);
            executor.shutdown = true;
            let cancelled: Vec<ObjId> = if cancel {
                executor.work.drain(..).map(|item| item.future).collect()
            } else {
                Vec::new()
            };
            for future in cancelled {
                self.future_mut(future).status = FutureStatus::Cancelled;
            }
            self.threads[self.current].progress = 1;
            self.instr_has_op = false;
        }
        if wait {
            let workers = self.executor_mut(obj).workers.clone();
            for worker in &workers {
                self.visible(Op::Join(*worker))?;
            }
            let me = self.current;
            for worker in workers {
                if worker.index() != me && !self.threads[me].joined.contains(&worker) {
                    self.threads[me].joined.push(worker);
                }
            }
        }
        self.threads[self.current].progress = 0;
        Ok(())
    }

    /// `concurrent.futures.as_completed(fs, timeout=None)`.
    pub(crate) fn as_completed(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["fs", "timeout"], "as_completed")?;
        let Some(fs) = args.get(0, "fs").cloned() else {
            return Err(
                self.type_error("as_completed() missing 1 required positional argument: 'fs'")
            );
        };
        let timeout = self.timeout_arg(args.get(1, "timeout"))?;
        let mut futures = Vec::new();
        for item in self.collect(&fs)? {
            match item {
                Value::Obj(id) if self.future(id).is_some() => {
                    if !futures.contains(&id) {
                        futures.push(id);
                    }
                }
                other => {
                    let type_name = self.type_name(&other);
                    return Err(self.error(
                        ExcKind::AttributeError,
                        format!("'{type_name}' object has no attribute '_condition'"),
                    ));
                }
            }
        }
        Ok(self.futures_iter(futures, true, timeout.is_some()))
    }

    /// A new iterator over `futures`: in completion order (`as_completed`) or in order, yielding
    /// results (`map`).
    fn futures_iter(&mut self, futures: Vec<ObjId>, completed_order: bool, timed: bool) -> Value {
        let iter = FuturesIter {
            yielded: vec![false; futures.len()],
            futures,
            completed_order,
            timed,
        };
        Value::Obj(self.alloc_iter(Iter::Futures(Box::new(iter)), false))
    }

    /// Waits (one visible step) until every future a futures iterator has not yielded yet is
    /// done, so that it can be consumed within one instruction.
    pub(crate) fn futures_wait_all(&mut self, iterator: ObjId) -> Res {
        let Object::Iter(Iter::Futures(state), _) = &self.heap[iterator.index()].object else {
            return Ok(());
        };
        let Some(&first) = state.futures.first() else {
            return Ok(());
        };
        let target = self.future_target(first);
        self.sync_op(target, SyncOp::AllDone { iter: iterator })
    }

    /// Whether every future a futures iterator has not yielded yet is done.
    pub(crate) fn all_done(&self, iter: ObjId) -> bool {
        match &self.heap[iter.index()].object {
            Object::Iter(Iter::Futures(state), _) => state
                .futures
                .iter()
                .zip(&state.yielded)
                .all(|(&future, &yielded)| yielded || self.future_done(future)),
            _ => true,
        }
    }

    /// The next item of a futures iterator (a visible wait), or `None` when exhausted.
    pub(crate) fn futures_iter_next(&mut self, iterator: ObjId) -> Res<Option<Value>> {
        let Object::Iter(Iter::Futures(state), _) = &self.heap[iterator.index()].object else {
            return Ok(None);
        };
        let state = (**state).clone();
        let Some(first) = state.futures.first().copied() else {
            return Ok(None);
        };
        let target = self.future_target(first);
        let remaining = state.yielded.iter().filter(|yielded| !**yielded).count();
        if remaining == 0 {
            return Ok(None);
        }
        let blocking = !state.timed;
        let position = if state.completed_order {
            self.sync_op(target, SyncOp::AsCompleted { iter: iterator })?;
            let ready = state
                .futures
                .iter()
                .zip(&state.yielded)
                .position(|(&future, &yielded)| !yielded && self.future_done(future));
            match ready {
                Some(position) => position,
                None => {
                    return Err(self.error(
                        ExcKind::TimeoutError,
                        format!(
                            "{remaining} (of {}) futures unfinished",
                            state.futures.len()
                        ),
                    ));
                }
            }
        } else {
            let position = state.futures.len() - remaining;
            let future = state.futures[position];
            self.sync_op(target, SyncOp::FutureWait { future, blocking })?;
            position
        };
        if let Object::Iter(Iter::Futures(state), _) = &mut self.heap[iterator.index()].object {
            state.yielded[position] = true;
        }
        let future = state.futures[position];
        if state.completed_order {
            return Ok(Some(Value::Obj(future)));
        }
        self.future_outcome(future, true).map(Some)
    }

    /// A pool worker between tasks: stores the finished task's outcome in its future (a
    /// `TaskDone` step), then takes the next work item (a `WorkGet` step) and sets up its call
    /// for booting. Returns `false` when the executor is shut down and has no work left.
    pub(crate) fn worker_next(&mut self, executor: ObjId) -> Res<bool> {
        let me = ThreadId(self.current as u32);
        if let Some(Task {
            future,
            outcome: Some(outcome),
        }) = self.threads[self.current].task.clone()
        {
            self.sync_op(executor, SyncOp::TaskDone { future })?;
            if let Ok(value) = &outcome {
                self.publish(value);
            }
            let text = match &outcome {
                Err(exc) => {
                    let line = self
                        .exception_data(*exc)
                        .and_then(|data| data.traceback.first().map(|entry| entry.line));
                    Some((self.exception_summary(*exc), line))
                }
                Ok(_) => None,
            };
            if text.is_some() {
                self.failed_futures.push(future);
            }
            let data = self.future_mut(future);
            data.exception_text = text;
            data.status = FutureStatus::Finished;
            match outcome {
                Ok(value) => data.result = value,
                Err(exc) => data.exception = Some(exc),
            }
            self.executor_mut(executor).idle += 1;
            self.threads[self.current].task = None;
            self.instr_has_op = false;
        }
        loop {
            self.sync_op(executor, SyncOp::WorkGet)?;
            let state = self.executor_mut(executor);
            if state.work.is_empty() && !state.shutdown {
                // With no work and no shutdown, the worker got here because the main thread's
                // code had ended: it leaves.
                self.touch(Access::ProgramEnd { ends: false });
            }
            let Some(item) = self.executor_mut(executor).work.pop_front() else {
                return Ok(false);
            };
            let future = self.future_mut(item.future);
            if future.status == FutureStatus::Cancelled {
                self.instr_has_op = false;
                continue;
            }
            future.status = FutureStatus::Running;
            future.worker = Some(me);
            let th = &mut self.threads[self.current];
            th.task = Some(Task {
                future: item.future,
                outcome: None,
            });
            th.stack.clear();
            th.stack.push(item.callee);
            th.stack.extend(item.args);
            th.boot_kw.clear();
            for (name, value) in item.kwargs {
                th.boot_kw.push(name);
                th.stack.push(value);
            }
            return Ok(true);
        }
    }

    /// The exceptions stored in futures that nobody retrieved with `result()` or
    /// `exception()`: the worker that ran the task, the exception's last traceback line and the
    /// line that raised it.
    pub fn unretrieved_task_exceptions(&self) -> Vec<(ThreadId, String, Option<u32>)> {
        (self.failed_futures.iter())
            .filter_map(|&future| match self.sync_state(future) {
                Some(SyncState::Future(future)) if !future.retrieved => {
                    let (text, line) = future.exception_text.clone()?;
                    Some((future.worker?, text, line))
                }
                _ => None,
            })
            .collect()
    }
}
