//! A UTC instant as certificates, CRLs and CMS `signingTime` carry it (RFC 5280 §4.1.2.5,
//! decoded by `der` as `UTCTime` / `GeneralizedTime`), and the calendar date of the CLI's
//! `--at`.

use der::DateTime;

/// A UTC date and time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    /// Year, e.g. 2023.
    pub year: u16,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=31.
    pub day: u8,
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
    /// Second 0..=59.
    pub second: u8,
}

impl From<DateTime> for Time {
    fn from(d: DateTime) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
            day: d.day(),
            hour: d.hour(),
            minute: d.minutes(),
            second: d.seconds(),
        }
    }
}

impl From<x509_cert::time::Time> for Time {
    fn from(t: x509_cert::time::Time) -> Self {
        t.to_date_time().into()
    }
}

impl Time {
    /// Midnight UTC of a calendar date; `None` when the date does not exist (`2026-02-30`).
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Option<Self> {
        DateTime::new(year, month, day, 0, 0, 0)
            .ok()
            .map(Self::from)
    }

    /// Parses `YYYY-MM-DD` (the CLI's `--at`); `None` for another shape or a date that does
    /// not exist in the calendar (`2026-02-30`, `2026-13-01`).
    pub fn parse_date(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let year = digits(b.get(0..4)?)?;
        let month = digits(b.get(5..7)?)?;
        let day = digits(b.get(8..10)?)?;
        Self::from_ymd(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// The current time from the system clock (1970-01-01 if the clock is before it).
    pub fn now() -> Self {
        DateTime::from_system_time(std::time::SystemTime::now())
            .map(Self::from)
            .unwrap_or_else(|_| Self::from_unix(0))
    }

    /// Converts seconds since 1970-01-01T00:00:00Z (saturating at 9999-12-31T23:59:59Z).
    pub fn from_unix(secs: u64) -> Self {
        let d = DateTime::from_unix_duration(core::time::Duration::from_secs(secs))
            .unwrap_or(DateTime::INFINITY);
        d.into()
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
}

impl core::fmt::Display for Time {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlv::{encode, tags, Tag};
    use der::Decode;

    fn read(tag: Tag, v: &[u8]) -> Result<Time, der::Error> {
        x509_cert::time::Time::from_der(&encode(tag, v)).map(Time::from)
    }

    #[test]
    fn utc_and_generalized() {
        assert_eq!(
            read(tags::UTC_TIME, b"230317134018Z").unwrap().to_string(),
            "2023-03-17T13:40:18Z"
        );
        assert_eq!(
            read(tags::GENERALIZED_TIME, b"20500101000000Z")
                .unwrap()
                .to_string(),
            "2050-01-01T00:00:00Z"
        );
        // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY.
        assert_eq!(read(tags::UTC_TIME, b"991231235959Z").unwrap().year, 1999);
        assert!(read(tags::UTC_TIME, b"231317134018Z").is_err());
        assert!(read(tags::UTC_TIME, b"230230000000Z").is_err());
    }

    #[test]
    fn calendar() {
        // 951868800 s after the epoch is 2000-03-01 (a leap year's 29 February before it).
        assert_eq!(
            Time::from_unix(951_868_800).to_string(),
            "2000-03-01T00:00:00Z"
        );
        assert_eq!(Time::parse_date("2026-05-28"), Time::from_ymd(2026, 5, 28));
        assert_eq!(Time::parse_date("2026-13-28"), None);
        assert_eq!(Time::parse_date("2026-02-30"), None);
        assert_eq!(Time::parse_date("2026-04-31"), None);
        assert!(Time::parse_date("2024-02-29").is_some());
        assert_eq!(Time::parse_date("2025-02-29"), None);
    }
}
