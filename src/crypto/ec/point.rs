//! Projective point arithmetic with the complete formulas of Renes, Costello and Batina,
//! "Complete addition formulas for prime order elliptic curves" (EUROCRYPT 2016,
//! eprint 2015/1060), Algorithms 1 (addition) and 3 (doubling) for any `a`.
//!
//! Complete means one formula for every input, the point at infinity included (valid on
//! curves of odd order, which all standardized eMRTD curves are): no branch depends on the
//! points, so scalar multiplication runs in constant time.

use crypto_bigint::Choice;

use super::field::{FieldElement, PrimeField};

/// A point in homogeneous projective coordinates (X : Y : Z), x = X/Z, y = Y/Z; the point at
/// infinity is (0 : 1 : 0).
#[derive(Clone)]
pub(crate) struct Proj {
    pub x: FieldElement,
    pub y: FieldElement,
    pub z: FieldElement,
}

/// The curve equation's constants in Montgomery form.
#[derive(Clone)]
pub(crate) struct CurveArith {
    pub field: PrimeField,
    pub a: FieldElement,
    pub b: FieldElement,
    pub b3: FieldElement,
}

impl CurveArith {
    pub fn identity(&self) -> Proj {
        Proj {
            x: self.field.zero(),
            y: self.field.one(),
            z: self.field.zero(),
        }
    }

    pub fn lift(&self, x: FieldElement, y: FieldElement) -> Proj {
        Proj {
            x,
            y,
            z: self.field.one(),
        }
    }

    /// Affine coordinates, `None` for the point at infinity.
    pub fn to_affine(&self, p: &Proj) -> Option<(FieldElement, FieldElement)> {
        let zinv = p.z.invert()?;
        Some((p.x.mul(&zinv), p.y.mul(&zinv)))
    }

    /// y² = x³ + a·x + b.
    pub fn is_on_curve(&self, x: &FieldElement, y: &FieldElement) -> bool {
        let rhs = x.square().add(&self.a).mul(x).add(&self.b);
        y.square().ct_eq(&rhs).to_bool()
    }

    /// RCB Algorithm 1: complete addition, 12M + 3m_a + 2m_3b + 23a.
    pub fn add(&self, p: &Proj, q: &Proj) -> Proj {
        let (a, b3) = (&self.a, &self.b3);
        let t0 = p.x.mul(&q.x); // 1
        let t1 = p.y.mul(&q.y); // 2
        let t2 = p.z.mul(&q.z); // 3
        let t3 = p.x.add(&p.y); // 4
        let t4 = q.x.add(&q.y); // 5
        let t3 = t3.mul(&t4); // 6
        let t4 = t0.add(&t1); // 7
        let t3 = t3.sub(&t4); // 8
        let t4 = p.x.add(&p.z); // 9
        let t5 = q.x.add(&q.z); // 10
        let t4 = t4.mul(&t5); // 11
        let t5 = t0.add(&t2); // 12
        let t4 = t4.sub(&t5); // 13
        let t5 = p.y.add(&p.z); // 14
        let x3 = q.y.add(&q.z); // 15
        let t5 = t5.mul(&x3); // 16
        let x3 = t1.add(&t2); // 17
        let t5 = t5.sub(&x3); // 18
        let z3 = a.mul(&t4); // 19
        let x3 = b3.mul(&t2); // 20
        let z3 = x3.add(&z3); // 21
        let x3 = t1.sub(&z3); // 22
        let z3 = t1.add(&z3); // 23
        let y3 = x3.mul(&z3); // 24
        let t1 = t0.add(&t0); // 25
        let t1 = t1.add(&t0); // 26
        let t2 = a.mul(&t2); // 27
        let t4 = b3.mul(&t4); // 28
        let t1 = t1.add(&t2); // 29
        let t2 = t0.sub(&t2); // 30
        let t2 = a.mul(&t2); // 31
        let t4 = t4.add(&t2); // 32
        let t0 = t1.mul(&t4); // 33
        let y3 = y3.add(&t0); // 34
        let t0 = t5.mul(&t4); // 35
        let x3 = t3.mul(&x3); // 36
        let x3 = x3.sub(&t0); // 37
        let t0 = t3.mul(&t1); // 38
        let z3 = t5.mul(&z3); // 39
        let z3 = z3.add(&t0); // 40
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// RCB Algorithm 3: exception-free doubling, 8M + 3S + 3m_a + 2m_3b + 15a.
    pub fn double(&self, p: &Proj) -> Proj {
        let (a, b3) = (&self.a, &self.b3);
        let t0 = p.x.square(); // 1
        let t1 = p.y.square(); // 2
        let t2 = p.z.square(); // 3
        let t3 = p.x.mul(&p.y); // 4
        let t3 = t3.add(&t3); // 5
        let z3 = p.x.mul(&p.z); // 6
        let z3 = z3.add(&z3); // 7
        let x3 = a.mul(&z3); // 8
        let y3 = b3.mul(&t2); // 9
        let y3 = x3.add(&y3); // 10
        let x3 = t1.sub(&y3); // 11
        let y3 = t1.add(&y3); // 12
        let y3 = x3.mul(&y3); // 13
        let x3 = t3.mul(&x3); // 14
        let z3 = b3.mul(&z3); // 15
        let t2 = a.mul(&t2); // 16
        let t3 = t0.sub(&t2); // 17
        let t3 = a.mul(&t3); // 18
        let t3 = t3.add(&z3); // 19
        let z3 = t0.add(&t0); // 20
        let t0 = z3.add(&t0); // 21
        let t0 = t0.add(&t2); // 22
        let t0 = t0.mul(&t3); // 23
        let y3 = y3.add(&t0); // 24
        let t2 = p.y.mul(&p.z); // 25
        let t2 = t2.add(&t2); // 26
        let t0 = t2.mul(&t3); // 27
        let x3 = x3.sub(&t0); // 28
        let z3 = t2.mul(&t1); // 29
        let z3 = z3.add(&z3); // 30
        let z3 = z3.add(&z3); // 31
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    pub fn negate(&self, p: &Proj) -> Proj {
        Proj {
            x: p.x.clone(),
            y: p.y.neg(),
            z: p.z.clone(),
        }
    }

    /// k·P with a fixed 4-bit window: the table is read in full at every step (constant-time
    /// selection) and the loop count depends only on `k.len()`.
    pub fn mul(&self, k: &[u8], p: &Proj) -> Proj {
        let mut table = Vec::with_capacity(16);
        table.push(self.identity());
        table.push(p.clone());
        for i in 2..16 {
            let next = match table.get(i - 1) {
                Some(prev) => self.add(prev, p),
                None => self.identity(),
            };
            table.push(next);
        }
        let mut acc = self.identity();
        for byte in k {
            for nibble in [byte >> 4, byte & 0x0f] {
                acc = self.double(&acc);
                acc = self.double(&acc);
                acc = self.double(&acc);
                acc = self.double(&acc);
                let sel = self.lookup(&table, nibble);
                acc = self.add(&acc, &sel);
            }
        }
        acc
    }

    /// table[index] read in constant time.
    fn lookup(&self, table: &[Proj], index: u8) -> Proj {
        let mut out = self.identity();
        for (i, entry) in table.iter().enumerate() {
            let choice = Choice::from_u8_eq(u8::try_from(i).unwrap_or(0xff), index);
            PrimeField::select(&mut out.x, &entry.x, choice);
            PrimeField::select(&mut out.y, &entry.y, choice);
            PrimeField::select(&mut out.z, &entry.z, choice);
        }
        out
    }

    /// u1·G + u2·Q, variable time (Shamir's trick): for signature verification, where every
    /// input is public.
    pub fn mul_add_vartime(&self, u1: &[u8], g: &Proj, u2: &[u8], q: &Proj) -> Proj {
        let gq = self.add(g, q);
        let mut acc = self.identity();
        let len = u1.len().max(u2.len());
        let pad = |v: &[u8]| {
            let mut out = vec![0u8; len - v.len()];
            out.extend_from_slice(v);
            out
        };
        let (a, b) = (pad(u1), pad(u2));
        let mut started = false;
        for (x, y) in a.iter().zip(b.iter()) {
            for bit in (0..8).rev() {
                if started {
                    acc = self.double(&acc);
                }
                match ((x >> bit) & 1, (y >> bit) & 1) {
                    (1, 1) => acc = self.add(&acc, &gq),
                    (1, 0) => acc = self.add(&acc, g),
                    (0, 1) => acc = self.add(&acc, q),
                    _ => continue,
                }
                started = true;
            }
        }
        acc
    }
}
