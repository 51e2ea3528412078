//! `queue`: `Queue`, `LifoQueue` and `SimpleQueue`, with CPython 3.11's semantics and
//! messages. Each `put`/`get`/`task_done`/`join`/query is one visible operation on the queue;
//! a blocking `put` on a full queue or `get` on an empty one waits, a timed one may time out at
//! any moment (so it never blocks, and raises `queue.Full`/`queue.Empty` when it finds no
//! room/item).

use std::collections::VecDeque;

use super::sync::{SyncClass, SyncState};
use crate::call::Args;
use crate::exceptions::ExcKind;
use crate::interp::Res;
use crate::value::{Method, Value};
use crate::vm::Vm;
use crate::{ObjId, SyncOp};

/// A queue's state.
#[derive(Clone, Debug)]
pub(crate) struct QueueState {
    pub(crate) items: VecDeque<Value>,
    /// `maxsize` (≤ 0: unbounded).
    pub(crate) maxsize: i64,
    /// `LifoQueue`: `get` takes the newest item.
    pub(crate) lifo: bool,
    /// `SimpleQueue`: unbounded, no `task_done`/`join`.
    pub(crate) simple: bool,
    /// Items put and not yet marked done.
    pub(crate) unfinished: i64,
    /// `mutex`, `not_empty`, `not_full`, `all_tasks_done`, made when first read.
    pub(crate) internals: Option<[ObjId; 4]>,
}

impl QueueState {
    /// Whether a `put` finds no room.
    pub(crate) fn is_full(&self) -> bool {
        self.maxsize > 0 && self.items.len() as i64 >= self.maxsize
    }
}

/// The native method `name` of a queue class.
pub(crate) fn queue_method(class: SyncClass, name: &str) -> Option<Method> {
    let simple = class == SyncClass::SimpleQueue;
    Some(match name {
        "put" => Method::QueuePut,
        "get" => Method::QueueGet,
        "put_nowait" => Method::QueuePutNowait,
        "get_nowait" => Method::QueueGetNowait,
        "qsize" => Method::QueueQsize,
        "empty" => Method::QueueEmpty,
        "full" if !simple => Method::QueueFull,
        "task_done" if !simple => Method::QueueTaskDone,
        "join" if !simple => Method::QueueJoin,
        _ => return None,
    })
}

impl Vm {
    /// The state of a new queue: `Queue(maxsize=0)`, `LifoQueue(maxsize=0)`, `SimpleQueue()`.
    pub(crate) fn queue_init(&mut self, class: SyncClass, args: &Args) -> Res<SyncState> {
        let simple = class == SyncClass::SimpleQueue;
        let maxsize = if simple {
            if !args.pos.is_empty() || !args.kw.is_empty() {
                return Err(self.type_error("SimpleQueue() takes no arguments"));
            }
            0
        } else {
            self.check_kwargs(args, &["maxsize"], "__init__")?;
            match args.get(0, "maxsize").cloned() {
                Some(value) => self.int_arg(&value)?,
                None => 0,
            }
        };
        Ok(SyncState::Queue(QueueState {
            items: VecDeque::new(),
            maxsize,
            lifo: class == SyncClass::LifoQueue,
            simple,
            unfinished: 0,
            internals: None,
        }))
    }

    /// Whether `method` is a queue method.
    pub(crate) fn is_queue_method(&self, method: Method) -> bool {
        matches!(
            method,
            Method::QueuePut
                | Method::QueueGet
                | Method::QueuePutNowait
                | Method::QueueGetNowait
                | Method::QueueQsize
                | Method::QueueEmpty
                | Method::QueueFull
                | Method::QueueTaskDone
                | Method::QueueJoin
        )
    }

    fn queue_mut(&mut self, obj: ObjId) -> &mut QueueState {
        match self.sync_state_mut(obj) {
            Some(SyncState::Queue(queue)) => queue,
            _ => unreachable!("a queue method on a queue"),
        }
    }

    /// `block`/`timeout` arguments: whether the call waits (timed calls never block), and
    /// whether it may wait at all.
    fn queue_blocking(&mut self, obj: ObjId, args: &Args, block_at: usize) -> Res<(bool, bool)> {
        let block = match args.get(block_at, "block").cloned() {
            Some(value) => self.truthy(&value)?,
            None => true,
        };
        let timeout = self.timeout_arg(args.get(block_at + 1, "timeout"))?;
        // CPython checks the timeout of a `put` only on a bounded queue.
        let checked = block_at == 0 || self.queue_mut(obj).maxsize > 0;
        if checked && block && timeout.is_some_and(|timeout| timeout < 0.0) {
            return Err(self.value_error("'timeout' must be a non-negative number"));
        }
        if block {
            self.timed_wait(timeout);
        }
        Ok((block && timeout.is_none(), block))
    }

    /// Calls a queue method.
    pub(crate) fn call_queue_method(
        &mut self,
        method: Method,
        obj: ObjId,
        args: &Args,
    ) -> Res<Value> {
        match method {
            Method::QueuePut | Method::QueuePutNowait => {
                let nowait = method == Method::QueuePutNowait;
                let allowed: &[&str] = if nowait {
                    &["item"]
                } else {
                    &["item", "block", "timeout"]
                };
                self.check_kwargs(args, allowed, method.name())?;
                let Some(item) = args.get(0, "item").cloned() else {
                    return Err(self.type_error(format!(
                        "{}() missing 1 required positional argument: 'item'",
                        method.name()
                    )));
                };
                let (blocking, _) = if nowait {
                    (false, false)
                } else {
                    self.queue_blocking(obj, args, 1)?
                };
                self.sync_op(obj, SyncOp::QueuePut { blocking })?;
                let queue = self.queue_mut(obj);
                if !queue.simple && queue.is_full() {
                    return Err(self.error(ExcKind::Full, ""));
                }
                queue.items.push_back(item.clone());
                if !queue.simple {
                    queue.unfinished += 1;
                }
                if self.is_shared(obj) {
                    self.publish(&item);
                }
                self.detail_value(&item);
                Ok(Value::None)
            }
            Method::QueueGet | Method::QueueGetNowait => {
                let nowait = method == Method::QueueGetNowait;
                let allowed: &[&str] = if nowait { &[] } else { &["block", "timeout"] };
                self.check_kwargs(args, allowed, method.name())?;
                let (blocking, _) = if nowait {
                    (false, false)
                } else {
                    self.queue_blocking(obj, args, 0)?
                };
                self.sync_op(obj, SyncOp::QueueGet { blocking })?;
                let queue = self.queue_mut(obj);
                let item = if queue.lifo {
                    queue.items.pop_back()
                } else {
                    queue.items.pop_front()
                };
                match item {
                    Some(item) => {
                        self.detail_value(&item);
                        Ok(item)
                    }
                    None => Err(self.error(ExcKind::Empty, "")),
                }
            }
            Method::QueueQsize | Method::QueueEmpty | Method::QueueFull => {
                self.check_kwargs(args, &[], method.name())?;
                if !args.pos.is_empty() {
                    return Err(self.type_error(format!(
                        "{}() takes 1 positional argument but {} were given",
                        method.name(),
                        args.pos.len() + 1
                    )));
                }
                if self.is_shared(obj) {
                    self.sync_op(obj, SyncOp::Query)?;
                }
                let queue = self.queue_mut(obj);
                let value = match method {
                    Method::QueueQsize => Value::Int(queue.items.len() as i64),
                    Method::QueueEmpty => Value::Bool(queue.items.is_empty()),
                    _ => Value::Bool(queue.is_full()),
                };
                self.detail_value(&value);
                Ok(value)
            }
            Method::QueueTaskDone => {
                self.check_kwargs(args, &[], "task_done")?;
                self.sync_op(obj, SyncOp::QueueTaskDone)?;
                let queue = self.queue_mut(obj);
                if queue.unfinished <= 0 {
                    return Err(self.value_error("task_done() called too many times"));
                }
                queue.unfinished -= 1;
                Ok(Value::None)
            }
            Method::QueueJoin => {
                self.check_kwargs(args, &[], "join")?;
                self.sync_op(obj, SyncOp::QueueJoin)?;
                Ok(Value::None)
            }
            _ => unreachable!("not a queue method: {method:?}"),
        }
    }

    /// A queue's non-method attributes: `maxsize`, and the `mutex`, `not_empty`, `not_full`
    /// and `all_tasks_done` objects (made on first use; weft's queue operations do not go
    /// through them).
    pub(crate) fn queue_attr(&mut self, obj: ObjId, name: &str) -> Res<Option<Value>> {
        let Some(SyncState::Queue(queue)) = self.sync_state(obj) else {
            return Ok(None);
        };
        match name {
            "maxsize" => Ok(Some(Value::Int(queue.maxsize))),
            "mutex" | "not_empty" | "not_full" | "all_tasks_done" if !queue.simple => {
                let internals = match queue.internals {
                    Some(internals) => internals,
                    None => {
                        let Value::Obj(mutex) = self.new_lock(false) else {
                            unreachable!("a new lock is a heap object")
                        };
                        let mut condition = || {
                            let condition = self.new_sync_object(SyncClass::Condition);
                            if let Some(state) = self.sync_state_mut(condition) {
                                *state = SyncState::Condition(super::sync::Condition {
                                    lock: mutex,
                                    waiters: VecDeque::new(),
                                });
                            }
                            condition
                        };
                        let internals = [mutex, condition(), condition(), condition()];
                        if self.is_shared(obj) {
                            for id in internals {
                                self.publish(&Value::Obj(id));
                            }
                        }
                        self.queue_mut(obj).internals = Some(internals);
                        internals
                    }
                };
                let index = ["mutex", "not_empty", "not_full", "all_tasks_done"]
                    .iter()
                    .position(|attr| *attr == name)
                    .expect("one of the four");
                Ok(Some(Value::Obj(internals[index])))
            }
            _ => Ok(None),
        }
    }
}
