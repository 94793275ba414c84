//! A memo of elliptic-curve and RSA results for fuzzing (feature `internals`, off until
//! [`enable_for_fuzzing`] is called).
//!
//! The simulator-backed fuzz targets (`reader_hostile`, `reader_mitm`) run a whole PACE,
//! Chip Authentication, Active Authentication and passive authentication for every input.
//! Both sides draw their random numbers from seeded generators reset per input, so nearly
//! every scalar multiplication, point addition, ECDSA verification and (in the simulator)
//! RSA private operation repeats one already done with the same operands: the memo returns
//! that result instead of computing it again (the scalar multiplications were 62 % of
//! `reader_hostile`'s time). The protocol code, the point
//! checks and every branch on a result still run; an operand the fuzzer changed misses the
//! memo and is computed. Results are pure functions of the operands, so the memo changes no
//! outcome.
//!
//! Never enable it outside a fuzz target or a test: it keeps private scalars and shared
//! secrets in a process-wide table, and a hit is not constant time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Entries kept before the table is emptied (bounded memory, whatever the fuzzer sends).
const CAPACITY: usize = 1 << 14;

static ENABLED: AtomicBool = AtomicBool::new(false);
static TABLE: Mutex<Option<HashMap<Vec<u8>, Vec<u8>>>> = Mutex::new(None);

/// Turns the memo on for the whole process (fuzz targets only; see the module docs).
pub fn enable_for_fuzzing() {
    ENABLED.store(true, Ordering::Release);
}

/// Whether the memo is on.
pub(crate) fn enabled() -> bool {
    ENABLED.load(Ordering::Acquire)
}

/// The result stored under `key`.
pub(crate) fn get(key: &[u8]) -> Option<Vec<u8>> {
    let table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
    table.as_ref().and_then(|t| t.get(key).cloned())
}

/// Stores `value` under `key`, emptying the table first when it is full.
pub(crate) fn put(key: Vec<u8>, value: Vec<u8>) {
    let mut table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
    let t = table.get_or_insert_with(HashMap::new);
    if t.len() >= CAPACITY {
        t.clear();
    }
    t.insert(key, value);
}

/// A key: an operation tag and length-prefixed operands (so no two operand lists collide).
pub(crate) fn key(op: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + parts.iter().map(|p| p.len() + 4).sum::<usize>());
    out.push(op);
    for p in parts {
        let n = u32::try_from(p.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&n.to_be_bytes());
        out.extend_from_slice(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_do_not_collide_across_operand_boundaries() {
        assert_ne!(key(1, &[b"ab", b"c"]), key(1, &[b"a", b"bc"]));
        assert_ne!(key(1, &[b"a"]), key(2, &[b"a"]));
    }

    #[test]
    fn a_stored_result_comes_back() {
        let k = key(0xEE, &[b"memo-test-operand"]);
        put(k.clone(), vec![1, 2, 3]);
        assert_eq!(get(&k), Some(vec![1, 2, 3]));
        assert_eq!(get(&key(0xEE, &[b"another"])), None);
    }
}
