//! `--time virtual`: the clock advances only when no thread can run, so sleeps, timeouts and
//! timers happen in the order their times say, whatever the scheduler prefers.

use std::sync::Arc;

use weft_vm::{RunStatus, ThreadId, Vm, VmConfig};

fn virtual_vm(source: &str) -> Vm {
    let program = weft_lang::compile("virtual.py", source)
        .unwrap_or_else(|diagnostics| panic!("does not compile: {diagnostics:?}"));
    let config = VmConfig {
        virtual_time: true,
        ..VmConfig::default()
    };
    Vm::new(Arc::new(program), config)
}

/// Runs to the end, always stepping the highest enabled thread (the opposite of the order the
/// program starts them in), and returns the stdout.
fn run_highest(vm: &mut Vm) -> String {
    let mut enabled: Vec<ThreadId> = Vec::new();
    while vm.status() == RunStatus::Running {
        vm.enabled_threads(&mut enabled);
        let last = *enabled.last().expect("a running VM has an enabled thread");
        vm.step(last);
    }
    assert_eq!(vm.status(), RunStatus::Completed, "{}", vm.stderr());
    vm.stdout().to_owned()
}

#[test]
fn sleeps_end_in_the_order_of_their_deadlines() {
    let mut vm = virtual_vm(
        "import threading\nimport time\n\
         def worker(n):\n    time.sleep(n)\n    print('woke', n, time.monotonic())\n\
         threads = [threading.Thread(target=worker, args=(n,)) for n in (3, 1, 2)]\n\
         for t in threads:\n    t.start()\n\
         for t in threads:\n    t.join()\n\
         print('at', time.time() - 1704067200.0)\n",
    );
    assert_eq!(
        run_highest(&mut vm),
        "woke 1 1.0\nwoke 2 2.0\nwoke 3 3.0\nat 3.0\n"
    );
    assert_eq!(vm.clock(), 3.0);
}

#[test]
fn timeouts_fire_at_their_deadline_and_not_before_what_they_wait_for() {
    let mut vm = virtual_vm(
        "import threading\nimport queue\nimport time\n\
         ev = threading.Event()\nq = queue.Queue()\nlock = threading.Lock()\n\
         def setter():\n    time.sleep(1)\n    ev.set()\n    q.put('item')\n\
         t = threading.Thread(target=setter)\nt.start()\n\
         print(ev.wait(0.5), time.monotonic())\n\
         print(ev.wait(10), time.monotonic())\n\
         print(q.get(timeout=5), time.monotonic())\n\
         lock.acquire()\n\
         print(lock.acquire(timeout=2), time.monotonic())\n\
         try:\n    q.get(timeout=1)\nexcept queue.Empty:\n    print('empty at', time.monotonic())\n\
         t.join(timeout=7)\n\
         print(t.is_alive(), time.monotonic())\n",
    );
    assert_eq!(
        run_highest(&mut vm),
        "False 0.5\nTrue 1.0\nitem 1.0\nFalse 3.0\nempty at 4.0\nFalse 4.0\n"
    );
}

#[test]
fn a_timer_fires_after_its_interval_unless_cancelled() {
    let mut vm = virtual_vm(
        "import threading\nimport time\n\
         fired = []\n\
         def note(what):\n    fired.append((what, time.monotonic()))\n\
         a = threading.Timer(2.0, note, args=['a'])\n\
         b = threading.Timer(1.0, note, args=['b'])\n\
         c = threading.Timer(0.5, note, args=['c'])\n\
         a.start()\nb.start()\nc.start()\nc.cancel()\n\
         a.join()\nb.join()\nc.join()\n\
         print(fired)\n",
    );
    assert_eq!(run_highest(&mut vm), "[('b', 1.0), ('a', 2.0)]\n");
}
