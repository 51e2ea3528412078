//! The visible-operation model, checked op by op on small programs: which statements are
//! scheduling points, what blocks, and what a deadlock looks like.

use std::sync::Arc;

use weft_vm::{BlockReason, Event, Location, Op, RunStatus, ThreadId, ThreadState, Vm, VmConfig};

fn vm_for(source: &str) -> Vm {
    let program = weft_lang::compile("model.py", source)
        .unwrap_or_else(|diagnostics| panic!("does not compile: {diagnostics:?}"));
    Vm::new(Arc::new(program), VmConfig::default())
}

/// Steps `thread` while it is enabled and `keep_going` holds for its pending op.
fn step_while(vm: &mut Vm, thread: u32, mut keep_going: impl FnMut(&Op) -> bool) -> Vec<Event> {
    let thread = ThreadId(thread);
    let mut events = Vec::new();
    while vm.is_enabled(thread) && vm.pending_op(thread).is_some_and(|op| keep_going(&op)) {
        events.push(vm.step(thread));
    }
    events
}

/// Runs to the end, always stepping the lowest enabled thread.
fn run_lowest(vm: &mut Vm) -> Vec<Event> {
    let mut events = Vec::new();
    let mut enabled = Vec::new();
    while vm.status() == RunStatus::Running {
        vm.enabled_threads(&mut enabled);
        events.push(vm.step(enabled[0]));
    }
    events
}

fn ops_of(events: &[Event], thread: u32) -> Vec<String> {
    events
        .iter()
        .filter(|event| event.thread == ThreadId(thread))
        .map(|event| format!("{:?}", event.op))
        .collect()
}

#[test]
fn global_increment_in_a_worker_is_a_read_then_a_write() {
    let mut vm = vm_for(
        "import threading\ncounter = 0\ndef worker():\n    global counter\n    counter += 1\n\
         def main():\n    t = threading.Thread(target=worker)\n    t.start()\n    t.join()\nmain()\n",
    );
    let events = run_lowest(&mut vm);
    let worker: Vec<&Event> = events.iter().filter(|e| e.thread == ThreadId(1)).collect();
    assert_eq!(worker.len(), 2, "{events:#?}");
    assert!(matches!(worker[0].op, Op::Read(Location::Global(_))));
    assert!(matches!(worker[1].op, Op::Write(Location::Global(_))));
    assert_eq!(
        worker[0].op,
        Op::Read(match worker[1].op {
            Op::Write(location) => location,
            _ => unreachable!(),
        })
    );
    assert_eq!(vm.status(), RunStatus::Completed);
}

#[test]
fn start_and_join_are_not_scheduling_points() {
    let mut vm = vm_for(
        "import threading\ndef worker():\n    pass\n\
         def main():\n    t = threading.Thread(target=worker)\n    t.start()\n    t.join()\n    t.join()\n\
         main()\n",
    );
    let events = run_lowest(&mut vm);
    // Main's only visible ops are the stores of `threading`, `worker` and `main` and the reads
    // of `threading`, `worker` and `main`; the worker has none at all.
    let main_ops = ops_of(&events, 0);
    assert!(
        main_ops
            .iter()
            .all(|op| op.starts_with("Read(Global") || op.starts_with("Write(Global")),
        "{main_ops:?}"
    );
    assert_eq!(main_ops.len(), 6, "{main_ops:?}");
    assert!(ops_of(&events, 1).is_empty());
    assert_eq!(vm.n_threads(), 2);
    assert_eq!(vm.status(), RunStatus::Completed);
}

#[test]
fn with_lock_is_an_acquire_and_a_release() {
    let mut vm = vm_for(
        "import threading\ndef main():\n    lock = threading.Lock()\n    x = 0\n    with lock:\n        x += 1\n\
         main()\n",
    );
    let events = run_lowest(&mut vm);
    let ops = ops_of(&events, 0);
    let lock_ops: Vec<&String> = ops.iter().filter(|op| !op.contains("Global")).collect();
    assert_eq!(lock_ops.len(), 2, "{ops:?}");
    assert!(lock_ops[0].starts_with("Acquire") && lock_ops[0].contains("blocking: true"));
    assert!(lock_ops[1].starts_with("Release"));
}

#[test]
fn a_blocked_join_costs_no_scheduling_decision() {
    let mut vm = vm_for(
        "import threading\nimport time\ndef worker():\n    time.sleep(1)\n\
         def main():\n    t = threading.Thread(target=worker)\n    t.start()\n    t.join()\n    time.sleep(0)\n\
         main()\n",
    );
    // Main runs to its join and blocks there; only the worker is enabled.
    step_while(&mut vm, 0, |_| true);
    assert_eq!(
        vm.thread_state(ThreadId(0)),
        ThreadState::Blocked(BlockReason::Join(ThreadId(1)))
    );
    assert_eq!(vm.pending_op(ThreadId(0)), Some(Op::Join(ThreadId(1))));
    let mut enabled = Vec::new();
    vm.enabled_threads(&mut enabled);
    assert_eq!(enabled, vec![ThreadId(1)]);
    // The worker's sleep finishes it; main is settled past the join to its next op.
    step_while(&mut vm, 1, |op| *op != Op::Sleep);
    let event = vm.step(ThreadId(1));
    assert_eq!(event.op, Op::Sleep);
    assert_eq!(vm.thread_state(ThreadId(1)), ThreadState::Finished);
    assert!(matches!(
        vm.pending_op(ThreadId(0)),
        Some(Op::Read(Location::Global(_)))
    ));
    assert_eq!(vm.pending_line(ThreadId(0)), Some(9));
    assert_eq!(
        vm.describe_op(&vm.pending_op(ThreadId(0)).unwrap()),
        "read global time"
    );
}

#[test]
fn lock_order_inversion_deadlocks_with_wait_for_edges() {
    let source = "import threading\na = threading.Lock()\nb = threading.Lock()\n\
                  def one():\n    with a:\n        with b:\n            pass\n\
                  def two():\n    with b:\n        with a:\n            pass\n\
                  t1 = threading.Thread(target=one)\nt2 = threading.Thread(target=two)\n\
                  t1.start()\nt2.start()\nt1.join()\nt2.join()\n";
    let mut vm = vm_for(source);
    // Main starts both threads and blocks on the first join.
    step_while(&mut vm, 0, |_| true);
    assert_eq!(vm.n_threads(), 3);
    // t1 takes `a`, t2 takes `b`.
    step_while(&mut vm, 1, |op| !matches!(op, Op::Acquire { .. }));
    let a = vm.step(ThreadId(1));
    step_while(&mut vm, 2, |op| !matches!(op, Op::Acquire { .. }));
    let b = vm.step(ThreadId(2));
    let (Op::Acquire { lock: lock_a, .. }, Op::Acquire { lock: lock_b, .. }) = (a.op, b.op) else {
        panic!("expected acquires: {a:?} {b:?}");
    };
    assert_eq!(vm.describe_object(lock_a), "Lock a");
    assert_eq!(vm.describe_object(lock_b), "Lock b");
    // Each now reads the other lock's global and reaches its acquire.
    step_while(&mut vm, 1, |op| !matches!(op, Op::Acquire { .. }));
    step_while(&mut vm, 2, |op| !matches!(op, Op::Acquire { .. }));
    assert_eq!(vm.status(), RunStatus::Deadlocked);
    assert_eq!(
        vm.thread_state(ThreadId(1)),
        ThreadState::Blocked(BlockReason::Lock {
            lock: lock_b,
            owner: Some(ThreadId(2))
        })
    );
    assert_eq!(
        vm.thread_state(ThreadId(2)),
        ThreadState::Blocked(BlockReason::Lock {
            lock: lock_a,
            owner: Some(ThreadId(1))
        })
    );
    assert_eq!(
        vm.thread_state(ThreadId(0)),
        ThreadState::Blocked(BlockReason::Join(ThreadId(1)))
    );
    assert_eq!(
        vm.describe_op(&vm.pending_op(ThreadId(1)).unwrap()),
        "acquire Lock b"
    );
}

#[test]
fn snapshots_are_independent() {
    let mut vm = vm_for("import threading\nx = 0\nx = 1\nx = 2\nprint(x)\n");
    let snapshot = vm.clone();
    let first = run_lowest(&mut vm);
    let mut replay = snapshot.clone();
    let second = run_lowest(&mut replay);
    assert_eq!(first, second);
    assert_eq!(vm.stdout(), "2\n");
    assert_eq!(snapshot.stdout(), "");
    assert_eq!(snapshot.steps(), 0);
}

#[test]
fn an_infinite_local_loop_aborts_the_run() {
    let program = weft_lang::compile(
        "loop.py",
        "x = 0\ndef spin():\n    while True:\n        pass\nspin()\n",
    )
    .unwrap();
    let config = VmConfig {
        max_local_instructions: 10_000,
        ..VmConfig::default()
    };
    let mut vm = Vm::new(Arc::new(program), config);
    run_lowest(&mut vm);
    let RunStatus::Aborted(error) = vm.status() else {
        panic!("expected an abort, got {:?}", vm.status());
    };
    let message = error.to_string();
    assert!(
        message
            .starts_with("thread 0 ran 10000 instructions without a visible operation at line 3"),
        "{message}"
    );
}

#[test]
fn print_pieces_are_separate_writes() {
    let mut vm = vm_for("def main():\n    print('a', 1, sep='-')\nmain()\n");
    let events = run_lowest(&mut vm);
    let writes = events
        .iter()
        .filter(|e| e.op == Op::Write(Location::Stdout))
        .count();
    assert_eq!(writes, 4);
    assert_eq!(vm.stdout(), "a-1\n");
}

#[test]
fn private_objects_are_local_until_published() {
    let mut vm = vm_for(
        "import threading\nshared = []\n\
         def worker(box):\n    box.append(1)\n\
         def main():\n    local = []\n    local.append(1)\n    inner = [0]\n    local.append(inner)\n\
         \n    shared.append(local)\n    inner.append(5)\n    t = threading.Thread(target=worker, args=([],))\n\
         \n    t.start()\n    t.join()\nmain()\n",
    );
    let events = run_lowest(&mut vm);
    let described: Vec<String> = events
        .iter()
        .map(|event| format!("{} {}", event.thread, vm.describe_op(&event.op)))
        .collect();
    assert_eq!(
        described,
        [
            "0 write global threading",
            "0 write global shared",
            "0 write global worker",
            "0 write global main",
            "0 read global main",
            "0 read global shared",
            "0 write list shared",
            "0 write list #42",
            "0 read global threading",
            "0 read global worker",
            "1 write list #43",
        ]
    );
}

#[test]
fn each_list_index_and_dict_key_is_its_own_location() {
    let mut vm = vm_for(
        "results = [0, 0]\nstats = {'a': 0, 1: 0}\n\
         results[1] = results[1] + 1\nx = results[-1]\ny = stats.get('a')\n\
         stats[True] += 1\nz = 1.0 in stats\nstats['new'] = 2\nresults.append(3)\n\
         try:\n    results[7]\nexcept IndexError:\n    pass\n",
    );
    let events = run_lowest(&mut vm);
    let described: Vec<String> = events
        .iter()
        .map(|event| vm.describe_op(&event.op))
        .filter(|op| op.contains("results") || op.contains("stats"))
        .filter(|op| !op.contains("global"))
        .collect();
    assert_eq!(
        described,
        [
            "read results[1]",
            "write results[1]",
            "read list results",
            "read stats['a']",
            "read stats[1]",
            "write stats[1]",
            "read stats[1]",
            "write dict stats",
            "write list results",
            "read list results",
        ]
    );
    assert_eq!(vm.status(), RunStatus::Completed);
}

#[test]
fn instance_attributes_become_visible_when_the_instance_is_shared() {
    let mut vm = vm_for(
        "class Box:\n    def __init__(self):\n        self.value = 0\n        self.value += 1\n\
         def make():\n    b = Box()\n    b.value = 5\n    return b\n\
         box = make()\nbox.value = 6\n",
    );
    let events = run_lowest(&mut vm);
    let described: Vec<String> = events
        .iter()
        .map(|event| vm.describe_op(&event.op))
        .collect();
    assert_eq!(
        described,
        [
            "write global Box",
            "write global make",
            "read global make",
            "read global Box",
            "write global box",
            "read global box",
            "write box.value",
        ]
    );
}

#[test]
fn a_native_thread_target_is_one_visible_op() {
    let mut vm = vm_for(
        "import threading\nfrom time import sleep\ndef main():\n    t = threading.Thread(target=sleep, args=(0.01,))\n\
         \n    t.start()\n    t.join()\n    u = threading.Thread(target=print, args=('a', 'b'))\n    u.start()\n    u.join()\n\
         main()\n",
    );
    let events = run_lowest(&mut vm);
    assert_eq!(ops_of(&events, 1), ["Sleep"]);
    assert_eq!(ops_of(&events, 2).len(), 4);
    assert_eq!(vm.stdout(), "a b\n");
    assert_eq!(vm.status(), RunStatus::Completed);
}

#[test]
fn printing_a_shared_list_reads_it_in_its_own_step() {
    let mut vm = vm_for(
        "results = [1]\nprint('r:', results)\nprint('%s' % (results,), '{}'.format(results))\n",
    );
    let events = run_lowest(&mut vm);
    let described: Vec<String> = events
        .iter()
        .map(|event| vm.describe_op(&event.op))
        .collect();
    assert_eq!(
        described,
        [
            "write global results",
            "read global results",
            "print",
            "print",
            "read list results",
            "print",
            "print",
            "read global results",
            "read list results",
            "read global results",
            "read list results",
            "print",
            "print",
            "print",
            "print",
        ]
    );
    assert_eq!(vm.stdout(), "r: [1]\n[1] [1]\n");
}

#[test]
fn a_tiny_instruction_limit_still_performs_the_pending_op() {
    let program = weft_lang::compile("tiny.py", "x = 1\nx = 2\n").unwrap();
    let config = VmConfig {
        max_local_instructions: 1,
        ..VmConfig::default()
    };
    let mut vm = Vm::new(Arc::new(program), config);
    if vm.status() == RunStatus::Running {
        let event = vm.step(ThreadId(0));
        assert!(matches!(event.op, Op::Write(Location::Global(_))));
    }
    assert!(matches!(
        vm.status(),
        RunStatus::Aborted(_) | RunStatus::Running | RunStatus::Completed
    ));
}
