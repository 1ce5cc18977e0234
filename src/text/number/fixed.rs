//! Exact non-negative decimals for the reader: integers scaled by a power
//! of ten, so no figure passes through `f64`.

use rust_decimal::Decimal;

/// 10^k, from a table (u128 holds up to 10^38).
fn pow10(k: u32) -> Option<u128> {
    const POW10: [u128; 39] = {
        let mut t = [1u128; 39];
        let mut i = 1;
        while i < 39 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    POW10.get(k as usize).copied()
}

/// An exact non-negative decimal: `m / 10^s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Fixed {
    /// The digits.
    pub(super) m: u128,
    /// How many of them are the fraction.
    pub(super) s: u32,
}

impl Fixed {
    pub(super) const ZERO: Fixed = Fixed { m: 0, s: 0 };

    pub(super) fn int(v: u128) -> Fixed {
        Fixed { m: v, s: 0 }
    }

    pub(super) fn is_zero(self) -> bool {
        self.m == 0
    }

    /// `self × 10^k`.
    pub(super) fn shift(self, k: u32) -> Option<Fixed> {
        if self.s >= k {
            Some(Fixed {
                m: self.m,
                s: self.s - k,
            })
        } else {
            let m = self.m.checked_mul(pow10(k - self.s)?)?;
            Some(Fixed { m, s: 0 })
        }
    }

    pub(super) fn add(self, o: Fixed) -> Option<Fixed> {
        if self.s == o.s {
            return Some(Fixed {
                m: self.m.checked_add(o.m)?,
                s: self.s,
            });
        }
        let s = self.s.max(o.s);
        let a = self.m.checked_mul(pow10(s - self.s)?)?;
        let b = o.m.checked_mul(pow10(s - o.s)?)?;
        Some(Fixed {
            m: a.checked_add(b)?,
            s,
        })
    }

    /// `self < 10^k`.
    pub(super) fn below(self, k: u32) -> bool {
        pow10(k + self.s).is_some_and(|p| self.m < p)
    }

    /// The value as a [`Decimal`], trailing fraction zeros dropped.
    pub(super) fn to_decimal(self) -> Option<Decimal> {
        let (mut m, mut s) = (self.m, self.s);
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        Decimal::try_from_i128_with_scale(i128::try_from(m).ok()?, s).ok()
    }
}
