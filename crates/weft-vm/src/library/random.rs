//! `random`: `random`, `randint`, `randrange`, `uniform`, `choice`, `shuffle` and `seed`.
//! Random values are *data*, not scheduling choices (design §2): each thread draws from its own
//! stream of a SplitMix64 generator seeded by `--data-seed` (or `random.seed(x)`), so a value
//! does not depend on the interleaving and drawing one is local computation. The values differ
//! from CPython's Mersenne Twister.

use crate::call::Args;
use crate::exceptions::ExcKind;
use crate::heap::Object;
use crate::interp::Res;
use crate::value::{Builtin, Value};
use crate::vm::Vm;

/// The generator: a seed and, per thread, how many values it drew.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    seed: u64,
    drawn: Vec<u64>,
}

/// SplitMix64's output function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Rng {
        Rng {
            seed,
            drawn: Vec::new(),
        }
    }

    /// The next 64 random bits of `thread`'s stream.
    fn next(&mut self, thread: usize) -> u64 {
        if self.drawn.len() <= thread {
            self.drawn.resize(thread + 1, 0);
        }
        self.drawn[thread] += 1;
        let stream = mix(self.seed ^ mix(thread as u64 + 0x9e37_79b9_7f4a_7c15));
        mix(stream.wrapping_add(self.drawn[thread].wrapping_mul(0x9e37_79b9_7f4a_7c15)))
    }

    /// A float in [0, 1).
    fn float(&mut self, thread: usize) -> f64 {
        (self.next(thread) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An int in [0, n) for n > 0.
    fn below(&mut self, thread: usize, n: u64) -> u64 {
        self.next(thread) % n
    }
}

impl Vm {
    /// Calls a `random` function.
    pub(crate) fn call_random(&mut self, function: Builtin, args: &Args) -> Res<Value> {
        let thread = self.current;
        let name = function.name();
        if function != Builtin::RandShuffle && function != Builtin::RandSeed {
            self.check_kwargs(args, &[], name)?;
        }
        let number = |vm: &mut Vm, index: usize| -> Res<f64> {
            match args.pos.get(index) {
                Some(Value::Int(i)) => Ok(*i as f64),
                Some(Value::Bool(b)) => Ok(f64::from(u8::from(*b))),
                Some(Value::Float(f)) => Ok(*f),
                Some(other) => {
                    let type_name = vm.type_name(other);
                    Err(vm.type_error(format!(
                        "unsupported operand type(s) for -: '{type_name}' and '{type_name}'"
                    )))
                }
                None => Err(vm.type_error(format!("{name}() missing required arguments"))),
            }
        };
        match function {
            Builtin::RandRandom => {
                if !args.pos.is_empty() {
                    return Err(self.type_error(format!(
                        "random() takes no arguments ({} given)",
                        args.pos.len()
                    )));
                }
                Ok(Value::Float(self.rng.float(thread)))
            }
            Builtin::RandUniform => {
                let (a, b) = (number(self, 0)?, number(self, 1)?);
                Ok(Value::Float(a + (b - a) * self.rng.float(thread)))
            }
            Builtin::RandRandint | Builtin::RandRandrange => {
                let mut ints = Vec::new();
                for value in &args.pos {
                    ints.push(self.int_arg(value)?);
                }
                let (start, stop, step) = match (function, ints.as_slice()) {
                    (Builtin::RandRandint, [a, b]) => (*a, b.saturating_add(1), 1),
                    (Builtin::RandRandrange, [stop]) => (0, *stop, 1),
                    (Builtin::RandRandrange, [start, stop]) => (*start, *stop, 1),
                    (Builtin::RandRandrange, [start, stop, step]) if *step != 0 => {
                        (*start, *stop, *step)
                    }
                    (Builtin::RandRandrange, [_, _, _]) => {
                        return Err(self.value_error("zero step for randrange()"));
                    }
                    _ => {
                        return Err(self.type_error(format!(
                            "{name}() takes {} positional arguments but {} were given",
                            if function == Builtin::RandRandint {
                                3
                            } else {
                                4
                            },
                            args.pos.len() + 1
                        )));
                    }
                };
                let count = crate::value::RangeValue { start, stop, step }.len();
                if count <= 0 {
                    return Err(self.value_error(if function == Builtin::RandRandint {
                        format!("empty range for randrange() ({start}, {stop}, {stop})")
                    } else {
                        format!(
                            "empty range for randrange() ({start}, {stop}, {})",
                            stop - start
                        )
                    }));
                }
                let index = self.rng.below(thread, count as u64) as i64;
                Ok(Value::Int(start + index * step))
            }
            Builtin::RandChoice => {
                let seq = self.one_arg(args, "choice")?;
                let items = self.collect(&seq)?;
                if items.is_empty() {
                    return Err(
                        self.error(ExcKind::IndexError, "Cannot choose from an empty sequence")
                    );
                }
                let index = self.rng.below(thread, items.len() as u64) as usize;
                Ok(items[index].clone())
            }
            Builtin::RandShuffle => {
                let list = self.one_arg(args, "shuffle")?;
                let Value::Obj(id) = list else {
                    let type_name = self.type_name(&list);
                    return Err(self.type_error(format!(
                        "'{type_name}' object does not support item assignment"
                    )));
                };
                if !self.is_list(id) {
                    return Err(self.unsupported("random.shuffle of a non-list"));
                }
                self.write_container(&list)?;
                let n = self.list_items(id).len();
                for i in (1..n).rev() {
                    let j = self.rng.below(thread, i as u64 + 1) as usize;
                    if let Object::List(items) = &mut self.heap[id.index()].object {
                        items.swap(i, j);
                    }
                }
                Ok(Value::None)
            }
            _ => {
                self.check_kwargs(args, &["a", "version"], "seed")?;
                let seed = match args.get(0, "a") {
                    None | Some(Value::None) => self.config.data_seed,
                    Some(Value::Int(i)) => *i as u64,
                    Some(other) => {
                        let other = other.clone();
                        mix(self.hash(&other)?)
                    }
                };
                self.rng = Rng::new(seed);
                Ok(Value::None)
            }
        }
    }
}
