//! An insertion-ordered dictionary, like Python's: entries in a `Vec`, plus a hash index once
//! the dict grows beyond a few entries. Key hashing and equality are computed by the caller
//! (they need the heap); the index maps a key's 64-bit hash to its entry.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::value::Value;

/// Entries at or below this count are found by linear scan.
const LINEAR_LIMIT: usize = 8;

/// A hasher for keys that already are well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type Index = HashMap<u64, u32, BuildHasherDefault<PassThroughHasher>>;

/// One key/value pair with the key's hash.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) hash: u64,
    pub(crate) key: Value,
    pub(crate) value: Value,
}

/// A Python dict.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dict {
    entries: Vec<Entry>,
    /// hash -> entry index, when the dict is large and no two keys share a hash.
    index: Option<Index>,
    /// Set when two different keys had the same hash: linear scans from then on.
    collided: bool,
}

impl Dict {
    /// The number of entries.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries in insertion order.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry at `position`.
    pub(crate) fn entry(&self, position: usize) -> Option<&Entry> {
        self.entries.get(position)
    }

    /// The position of the key with this hash for which `eq` holds.
    pub(crate) fn find(&self, hash: u64, mut eq: impl FnMut(&Value) -> bool) -> Option<usize> {
        if let Some(index) = &self.index {
            let position = *index.get(&hash)? as usize;
            let entry = &self.entries[position];
            return eq(&entry.key).then_some(position);
        }
        self.entries
            .iter()
            .position(|entry| entry.hash == hash && eq(&entry.key))
    }

    /// The value at `position`.
    pub(crate) fn value_at(&self, position: usize) -> &Value {
        &self.entries[position].value
    }

    /// Replaces the value at `position`.
    pub(crate) fn set_at(&mut self, position: usize, value: Value) {
        self.entries[position].value = value;
    }

    /// Appends a key known to be absent.
    pub(crate) fn push(&mut self, hash: u64, key: Value, value: Value) {
        let position = self.entries.len();
        self.entries.push(Entry { hash, key, value });
        if let Some(index) = &mut self.index {
            if index.insert(hash, position as u32).is_some() {
                self.collided = true;
                self.index = None;
            }
        } else if !self.collided && self.entries.len() > LINEAR_LIMIT {
            self.rebuild_index();
        }
    }

    /// Removes the entry at `position`, keeping the order of the others.
    pub(crate) fn remove_at(&mut self, position: usize) -> Entry {
        let entry = self.entries.remove(position);
        if self.index.is_some() {
            self.rebuild_index();
        }
        entry
    }

    /// Removes every entry.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
        self.collided = false;
    }

    fn rebuild_index(&mut self) {
        let mut index = Index::default();
        for (position, entry) in self.entries.iter().enumerate() {
            if index.insert(entry.hash, position as u32).is_some() {
                self.collided = true;
                self.index = None;
                return;
            }
        }
        self.index = Some(index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_eq(n: i64) -> impl FnMut(&Value) -> bool {
        move |key| matches!(key, Value::Int(k) if *k == n)
    }

    #[test]
    fn keeps_insertion_order_and_finds_keys_past_the_linear_limit() {
        let mut dict = Dict::default();
        for n in 0..20_i64 {
            dict.push((n * 7919) as u64, Value::Int(n), Value::Int(n * 10));
        }
        assert_eq!(dict.len(), 20);
        for n in 0..20_i64 {
            let position = dict.find((n * 7919) as u64, int_eq(n)).unwrap();
            assert_eq!(position, n as usize);
        }
        dict.remove_at(3);
        assert_eq!(dict.find(3 * 7919, int_eq(3)), None);
        assert_eq!(dict.find(4 * 7919, int_eq(4)), Some(3));
    }

    #[test]
    fn survives_hash_collisions() {
        let mut dict = Dict::default();
        for n in 0..20_i64 {
            dict.push(42, Value::Int(n), Value::None);
        }
        for n in 0..20_i64 {
            assert_eq!(dict.find(42, int_eq(n)), Some(n as usize));
        }
    }
}
