//! Reclaiming garbage among *private* heap objects, so long local loops and snapshots stay
//! small.
//!
//! Only private objects are ever collected, so no reclaimed id can have appeared in an [`Op`]
//! (shared-object locations) and ids stay meaningful across a trace. Locks (whose ids appear in
//! acquire/release ops) and classes (named by labels) are never collected. Shared objects only
//! reference shared objects (publication is transitive), so the roots of the private world are
//! the threads' stacks and the objects frames refer to. Collection runs only where no Rust code
//! holds heap references: between instructions of a top-level run and between steps.
//!
//! [`Op`]: crate::Op

use crate::ObjId;
use crate::heap::{Instance, Object, Payload};
use crate::value::Value;
use crate::vm::{FrameKind, Vm};

/// The fewest allocations between two collections.
pub(crate) const MIN_GC_THRESHOLD: usize = 4096;

impl Vm {
    /// Collects if enough objects were allocated since the last collection.
    pub(crate) fn maybe_collect(&mut self) {
        if self.allocations >= self.gc_threshold && self.atomic_depth == 0 {
            self.collect_garbage();
        }
    }

    /// Frees every private object unreachable from the threads' stacks and frames.
    pub(crate) fn collect_garbage(&mut self) {
        let mut marked = vec![false; self.heap.len()];
        let mut pending: Vec<ObjId> = Vec::new();
        let mut roots: Vec<Value> = Vec::new();
        for th in &self.threads {
            roots.extend(th.stack.iter().cloned());
            if let Some(task) = &th.task {
                roots.push(Value::Obj(task.future));
                match &task.outcome {
                    Some(Ok(value)) => roots.push(value.clone()),
                    Some(Err(exc)) => roots.push(Value::Obj(*exc)),
                    None => {}
                }
            }
            for frame in &th.frames {
                if let FrameKind::Init(id) | FrameKind::ExitExc(id) = frame.kind {
                    pending.push(id);
                }
                pending.extend(frame.handled);
            }
        }
        for pool in &mut self.arg_pool {
            pool.pos.clear();
            pool.kw.clear();
        }
        for root in &roots {
            self.mark_value(root, &mut pending);
        }
        while let Some(id) = pending.pop() {
            let index = id.index();
            if marked[index] || self.heap[index].shared {
                continue;
            }
            marked[index] = true;
            let mut children: Vec<Value> = Vec::new();
            self.heap[index].object.push_children(&mut children);
            for child in &children {
                self.mark_value(child, &mut pending);
            }
        }
        let mut live = 0;
        for (index, entry) in self.heap.iter_mut().enumerate() {
            // Locks and library objects are kept: their ids appear in ops.
            let keep = entry.shared
                || marked[index]
                || matches!(
                    entry.object,
                    Object::Lock(_)
                        | Object::Class(_)
                        | Object::Free
                        | Object::Instance(Instance {
                            payload: Payload::Sync(_),
                            ..
                        })
                );
            if keep {
                if !matches!(entry.object, Object::Free) {
                    live += 1;
                }
                continue;
            }
            entry.object = Object::Free;
            self.free_slots.push(ObjId(index as u32));
        }
        // Run again after as many allocations as there are live objects (at least the minimum):
        // the heap stays within about twice the live size and collection is amortised O(1) per
        // allocation.
        self.allocations = 0;
        self.gc_threshold = if self.gc_min_growth == 0 {
            1
        } else {
            live.max(self.gc_min_growth)
        };
    }

    /// Queues the private objects a value refers to (looking through tuples).
    fn mark_value(&self, value: &Value, pending: &mut Vec<ObjId>) {
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
                    pending.push(*func);
                    pending.push(*receiver);
                }
                Value::Tuple(items) => values.extend(items.iter()),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use crate::{RunStatus, Vm, VmConfig};

    /// Runs a program under a fixed rotating schedule, optionally collecting garbage after
    /// almost every instruction; returns everything observable.
    fn run(source: &str, stress: bool) -> String {
        let program = weft_lang::compile("gc.py", source).expect("test programs compile");
        let mut vm = Vm::new(Arc::new(program), VmConfig::default());
        if stress {
            vm.gc_min_growth = 0;
            vm.gc_threshold = 1;
        }
        let mut enabled = Vec::new();
        let mut turn = 0;
        let mut events = String::new();
        while vm.status() == RunStatus::Running && turn < 5_000 {
            vm.enabled_threads(&mut enabled);
            turn += 1;
            let event = vm.step(enabled[turn % enabled.len()]);
            // Object ids differ when slots are reused: compare the ops without them.
            let op = format!("{:?}", event.op);
            let op: String = op
                .split("ObjId(")
                .map(|part| part.trim_start_matches(char::is_numeric))
                .collect();
            events.push_str(&format!("{op} {}\n", event.line));
        }
        format!(
            "{events}{:?}\n{}\n{}",
            vm.status(),
            vm.stdout(),
            vm.stderr()
        )
    }

    #[test]
    fn collecting_constantly_changes_nothing_observable() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        let mut checked = 0;
        for dir in ["single", "threads"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
                .collect();
            paths.sort();
            for path in paths {
                let source = std::fs::read_to_string(&path).unwrap();
                if source.contains("range(3000)") {
                    continue; // err_deep_repr: too slow when collecting at every instruction
                }
                assert_eq!(
                    run(&source, false),
                    run(&source, true),
                    "{}",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 50);
    }

    #[test]
    fn garbage_from_a_long_local_loop_is_reclaimed() {
        let source = "def churn():\n    total = 0\n    for i in range(100000):\n        box = [i, {'k': i}]\n        total += len(box)\n    return total\nprint(churn())\n";
        let program = weft_lang::compile("gc.py", source).unwrap();
        let mut vm = Vm::new(Arc::new(program), VmConfig::default());
        let mut enabled = Vec::new();
        while vm.status() == RunStatus::Running {
            vm.enabled_threads(&mut enabled);
            vm.step(enabled[0]);
        }
        assert_eq!(vm.stdout(), "200000\n");
        assert!(vm.heap.len() < 20_000, "heap grew to {}", vm.heap.len());
    }
}
