//! Elementary files of the eMRTD application and the commands that select and read them
//! (ICAO 9303-10 §3.6, ISO/IEC 7816-4 §11.2). Sans-I/O: [`crate::reader`] sends them.

use crate::apdu::Command;
use crate::tlv::{self, Tag};
use zeroize::Zeroize;

/// The eMRTD application identifier (ICAO 9303-10 §3.6.2).
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// The largest offset READ BINARY `B0` can address in P1-P2 (bit 8 of P1 must stay 0).
pub const MAX_B0_OFFSET: usize = 0x7FFF;

/// The largest file we accept: a bound on what a card's length header can make us read
/// (DG2/DG3 of real documents stay far below it).
pub const MAX_FILE_SIZE: usize = 1 << 20;

/// An elementary file of the LDS.
/// In JSON (feature `serde`) its [`name`](Self::name): `CardAccess`, `COM`, `SOD`, `DG1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ElementaryFile {
    /// EF.CardAccess (SecurityInfos for PACE), at MF level, readable without access control.
    CardAccess,
    /// EF.CardSecurity (SecurityInfos signed like the SOD, for PACE-CAM and Terminal
    /// Authentication), at MF level (ICAO 9303-11 §9.2.11).
    CardSecurity,
    /// EF.COM: LDS version and the list of data groups.
    Com,
    /// EF.SOD: the document security object (passive authentication).
    Sod,
    /// Data group 1 to 16.
    Dg(u8),
}

impl ElementaryFile {
    /// File identifier for SELECT.
    pub fn fid(self) -> u16 {
        match self {
            Self::CardAccess => 0x011C,
            Self::CardSecurity => 0x011D,
            Self::Com => 0x011E,
            Self::Sod => 0x011D,
            Self::Dg(n) => 0x0100 | u16::from(n),
        }
    }

    /// Short file identifier for READ BINARY.
    pub fn sfi(self) -> u8 {
        match self {
            Self::CardAccess => 0x1C,
            Self::CardSecurity => 0x1D,
            Self::Com => 0x1E,
            Self::Sod => 0x1D,
            Self::Dg(n) => n & 0x1F,
        }
    }

    /// The data group with this LDS tag (ICAO 9303-10 §4.6.1 table), e.g. `61` → DG1.
    pub fn from_dg_tag(tag: u8) -> Option<Self> {
        const TAGS: [u8; 16] = [
            0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E,
            0x6F, 0x70,
        ];
        TAGS.iter()
            .position(|t| *t == tag)
            .and_then(|i| u8::try_from(i + 1).ok())
            .map(Self::Dg)
    }

    /// The name used in file dumps and JSON: `COM`, `CardAccess`, `CardSecurity`, `SOD`, `DG1`
    /// .. `DG16`.
    pub fn name(self) -> String {
        match self {
            Self::CardAccess => "CardAccess".into(),
            Self::CardSecurity => "CardSecurity".into(),
            Self::Com => "COM".into(),
            Self::Sod => "SOD".into(),
            Self::Dg(n) => format!("DG{n}"),
        }
    }

    /// Parses a [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "CardAccess" => Some(Self::CardAccess),
            "CardSecurity" => Some(Self::CardSecurity),
            "COM" => Some(Self::Com),
            "SOD" => Some(Self::Sod),
            _ => name
                .strip_prefix("DG")
                .and_then(|n| n.parse::<u8>().ok())
                .filter(|n| (1..=16).contains(n))
                .map(Self::Dg),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ElementaryFile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ElementaryFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::from_name(&name).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&name),
                &"CardAccess, CardSecurity, COM, SOD or DG1..DG16",
            )
        })
    }
}

/// SELECT the eMRTD application by AID, no response data (P2 `0C`), no Le.
pub fn select_application() -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(EMRTD_AID.to_vec())
}

/// SELECT an EF by its file identifier under the current DF, no response data, no Le.
pub fn select_ef(file: ElementaryFile) -> Command {
    Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(file.fid().to_be_bytes().to_vec())
}

/// READ BINARY at `offset` of the current EF (`B0`, offset ≤ 7FFF) or, beyond, the odd
/// instruction `B1` with the offset in DO `54`.
pub fn read_binary(offset: usize, le: usize) -> Command {
    if !is_odd_read(offset) {
        let [p1, p2] = (offset as u16).to_be_bytes();
        Command::new(0x00, 0xB0, p1, p2).with_le(le)
    } else {
        let off = (offset as u32).to_be_bytes();
        let skip = off.iter().take_while(|b| **b == 0).count();
        let data = tlv::encode(Tag(0x54), off.get(skip..).unwrap_or(&[]));
        Command::new(0x00, 0xB1, 0x00, 0x00)
            .with_data(data)
            .with_le(le)
    }
}

/// Whether [`read_binary`] reads from `offset` with the odd instruction `B1` (offset in DO'54',
/// answer in DO'53'): past the 15 bits that P1-P2 of `B0` hold.
pub fn is_odd_read(offset: usize) -> bool {
    offset > MAX_B0_OFFSET
}

/// READ BINARY with a short file identifier: selects the EF and reads from `offset` (≤ 255)
/// in one APDU.
pub fn read_binary_sfi(file: ElementaryFile, offset: u8, le: usize) -> Command {
    Command::new(0x00, 0xB0, 0x80 | file.sfi(), offset).with_le(le)
}

/// The data of a `B1` response: the value of its DO `53` (the odd-instruction envelope).
pub fn unwrap_odd_response(data: &[u8]) -> Result<&[u8], tlv::TlvError> {
    let t = tlv::parse_single(data)?;
    if t.tag != Tag(0x53) {
        return Err(tlv::TlvError {
            kind: tlv::TlvErrorKind::UnexpectedTag {
                expected: 0x53,
                found: t.tag.0,
            },
            offset: 0,
        });
    }
    Ok(t.value)
}

/// Plans the reads of one file: how many bytes to ask for next, given what is known.
///
/// The first read asks for a full chunk, so small files come in one APDU and the header of large
/// ones tells the total; after that, full chunks and an exact last one, never one read more
/// than `ceil(size / chunk)`.
#[derive(Clone)]
pub struct ReadPlan {
    chunk: usize,
    total: Option<usize>,
    data: Vec<u8>,
    /// Answers shorter than asked and than [`SHORT_ANSWER`], the file not done.
    short_answers: usize,
}

/// An answer to READ BINARY with fewer bytes than this (and than asked), inside a file, is a
/// short answer: no chip caps its answers that low (the read-size ladder ends at 32).
pub const SHORT_ANSWER: usize = 32;

/// Short answers tolerated in one file before its read fails ([`PlanError::ShortAnswers`]): a
/// chip (or a man in the middle before secure messaging) that drips a file out a byte per
/// APDU would otherwise hold the reader for one APDU per byte, 65,000 for a large DG2.
pub const MAX_SHORT_ANSWERS: usize = 8;

impl core::fmt::Debug for ReadPlan {
    // The bytes are card data (personal data): sizes only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReadPlan")
            .field("chunk", &self.chunk)
            .field("total", &self.total)
            .field("read", &self.data.len())
            .finish()
    }
}

impl ReadPlan {
    /// A plan reading at most `chunk` bytes per APDU.
    pub fn new(chunk: usize) -> Self {
        Self {
            chunk: chunk.max(1),
            total: None,
            data: Vec::new(),
            short_answers: 0,
        }
    }

    /// Starts with bytes already read (a resumed read).
    pub fn resume(chunk: usize, data: Vec<u8>) -> Result<Self, PlanError> {
        let mut plan = Self::new(chunk);
        plan.data = data;
        plan.learn_total()?;
        Ok(plan)
    }

    /// Changes the chunk size (after the card refused a length).
    pub fn set_chunk(&mut self, chunk: usize) {
        self.chunk = chunk.max(1);
    }

    /// Offset of the next read.
    pub fn offset(&self) -> usize {
        self.data.len()
    }

    /// The file size, once the header has been read.
    pub fn total(&self) -> Option<usize> {
        self.total
    }

    /// Le of the next read, or `None` when the file is complete.
    pub fn next_le(&self) -> Option<usize> {
        match self.total {
            None => Some(self.chunk),
            Some(total) => {
                let left = total.saturating_sub(self.data.len());
                (left > 0).then(|| left.min(self.chunk))
            }
        }
    }

    /// Adds the bytes a read of [`next_le`](Self::next_le) bytes returned. Errors: an empty
    /// answer, a header announcing more than [`MAX_FILE_SIZE`], more than [`MAX_SHORT_ANSWERS`]
    /// short answers ([`SHORT_ANSWER`]); more bytes than the header announced are trimmed to it.
    ///
    /// Once the header tells the size, the buffer is reserved once at that size (bounded by
    /// [`MAX_FILE_SIZE`]); a buffer that must move is copied and the old one wiped, so no
    /// copy of card data is left behind in freed memory.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), PlanError> {
        if bytes.is_empty() {
            return Err(PlanError::NoProgress(self.data.len()));
        }
        let take = match self.total {
            Some(total) => bytes.len().min(total.saturating_sub(self.data.len())),
            None => bytes.len(),
        };
        let asked = self.next_le();
        let head = bytes.get(..take).unwrap_or(bytes);
        self.reserve_wiping(self.data.len().saturating_add(head.len()));
        self.data.extend_from_slice(head);
        if self.total.is_none() {
            self.learn_total()?;
        }
        let short = asked.is_some_and(|asked| bytes.len() < asked.min(SHORT_ANSWER));
        if short && self.next_le().is_some() {
            self.short_answers += 1;
            if self.short_answers > MAX_SHORT_ANSWERS {
                return Err(PlanError::ShortAnswers(self.data.len()));
            }
        }
        Ok(())
    }

    /// Reads the size from the header once it is complete, checks it, trims what lies beyond
    /// it and reserves the whole file.
    fn learn_total(&mut self) -> Result<(), PlanError> {
        self.total = tlv::total_len_from_header(&self.data).map_err(PlanError::Header)?;
        if let Some(total) = self.total {
            if total > MAX_FILE_SIZE {
                return Err(PlanError::TooLarge(total));
            }
            if let Some(beyond) = self.data.get_mut(total..) {
                beyond.zeroize();
            }
            self.data.truncate(total);
            self.reserve_wiping(total);
        }
        Ok(())
    }

    /// Makes room for `capacity` bytes; a move to a larger buffer wipes the old one.
    fn reserve_wiping(&mut self, capacity: usize) {
        if self.data.capacity() >= capacity {
            return;
        }
        let mut larger = Vec::with_capacity(capacity);
        larger.extend_from_slice(&self.data);
        self.data.zeroize();
        self.data = larger;
    }

    /// The file's bytes (complete once [`next_le`](Self::next_le) is `None`).
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Takes the bytes.
    pub fn into_data(mut self) -> Vec<u8> {
        core::mem::take(&mut self.data)
    }
}

impl Drop for ReadPlan {
    /// A read abandoned half-way leaves no card data behind.
    fn drop(&mut self) {
        self.data.zeroize();
    }
}

/// Why a file read cannot go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The card returned no data at this offset although the header announced more.
    #[error("card returned no data at offset {0}")]
    NoProgress(usize),
    /// The file header is malformed.
    #[error("file header: {0}")]
    Header(tlv::TlvError),
    /// The header announces a file larger than [`MAX_FILE_SIZE`].
    #[error("file announces {0} bytes, more than the limit")]
    TooLarge(usize),
    /// More than [`MAX_SHORT_ANSWERS`] answers inside the file carried fewer than
    /// [`SHORT_ANSWER`] bytes (the offset reached).
    #[error(
        "card answered fewer than {SHORT_ANSWER} bytes per read more than {MAX_SHORT_ANSWERS} \
         times inside the file (offset {0})"
    )]
    ShortAnswers(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An answer shorter than asked and than 32 bytes, inside the file, is a short answer;
    /// more than `MAX_SHORT_ANSWERS` of them end the read. An exact answer, however small
    /// (a file's last bytes), and answers of 32 bytes are not short.
    #[test]
    fn short_answers_inside_a_file_are_bounded() {
        // 75 82 03 E8: a 1004-byte file.
        let mut file = vec![0x75, 0x82, 0x03, 0xE8];
        file.resize(1004, 0x5A);
        let mut plan = ReadPlan::new(1000);
        plan.push(&file[..1000]).unwrap();
        assert_eq!(plan.next_le(), Some(4));
        plan.push(&file[1000..]).unwrap();
        assert_eq!(plan.next_le(), None);

        let mut plan = ReadPlan::new(100);
        let mut at = 0;
        for _ in 0..MAX_SHORT_ANSWERS {
            plan.push(&file[at..at + 31]).unwrap();
            at += 31;
        }
        assert_eq!(
            plan.push(&file[at..at + 31]),
            Err(PlanError::ShortAnswers(at + 31))
        );

        let mut plan = ReadPlan::new(100);
        for answer in file.chunks(SHORT_ANSWER) {
            plan.push(answer).unwrap();
        }
        assert_eq!(plan.data(), &file[..]);
    }

    #[test]
    fn the_buffer_is_reserved_once_at_the_announced_size() {
        // 75 82 03 E8: a 1004-byte file read in chunks of 100.
        let mut file = vec![0x75, 0x82, 0x03, 0xE8];
        file.resize(1004, 0x5A);
        let mut plan = ReadPlan::new(100);
        plan.push(&file[..100]).unwrap();
        assert_eq!(plan.total(), Some(1004));
        assert_eq!(plan.data.capacity(), 1004);
        let buffer = plan.data.as_ptr();
        while let Some(le) = plan.next_le() {
            let off = plan.offset();
            plan.push(&file[off..off + le]).unwrap();
        }
        // Never moved (no copy left behind), and exactly the file.
        assert_eq!(plan.data.as_ptr(), buffer);
        assert_eq!(plan.into_data(), file);
    }

    #[test]
    fn an_answer_beyond_the_announced_size_is_cut() {
        let mut plan = ReadPlan::new(64);
        plan.push(&[0x60, 0x03, 1, 2, 3, 0xEE, 0xEE]).unwrap();
        assert_eq!(plan.data(), &[0x60, 0x03, 1, 2, 3]);
        assert_eq!(plan.next_le(), None);
        // A header announcing more than the cap is refused before any reservation.
        let mut plan = ReadPlan::new(64);
        assert_eq!(
            plan.push(&[0x75, 0x83, 0x20, 0x00, 0x00]),
            Err(PlanError::TooLarge(0x20_0000 + 5))
        );
    }

    fn count_reads(size: usize, chunk: usize) -> usize {
        // A file with a 4-byte header (tag + 82 xx xx) whose total is `size`.
        let mut file = vec![0x75, 0x82];
        file.extend_from_slice(&((size - 4) as u16).to_be_bytes());
        file.resize(size, 0xAB);
        let mut plan = ReadPlan::new(chunk);
        let mut reads = 0;
        while let Some(le) = plan.next_le() {
            let off = plan.offset();
            let end = (off + le).min(file.len());
            plan.push(&file[off..end]).unwrap();
            reads += 1;
        }
        assert_eq!(plan.data(), &file[..]);
        reads
    }

    #[test]
    fn exact_multiples_need_no_extra_read() {
        for k in 1..=90 {
            assert_eq!(count_reads(223 * k, 223), k, "size 223*{k}");
            assert_eq!(count_reads(223 * k + 1, 223), k + 1);
        }
        assert_eq!(count_reads(18_000, 223), 18_000_usize.div_ceil(223));
    }

    #[test]
    fn odd_instruction_beyond_7fff() {
        let c = read_binary(0x8000, 223);
        assert_eq!(c.ins, 0xB1);
        assert_eq!(c.data, vec![0x54, 0x02, 0x80, 0x00]);
        let c = read_binary(0x7FFF, 223);
        assert_eq!((c.ins, c.p1, c.p2), (0xB0, 0x7F, 0xFF));
    }

    #[test]
    fn resume_checks_the_header_too() {
        let big = vec![0x75, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        assert!(matches!(
            ReadPlan::resume(223, big),
            Err(PlanError::TooLarge(_))
        ));
        let plan = ReadPlan::resume(223, vec![0x61, 0x03, 1, 2]).unwrap();
        assert_eq!(plan.next_le(), Some(1));
        assert!(!format!("{plan:?}").contains("[97"));
    }

    #[test]
    fn oversized_header_is_refused() {
        let mut plan = ReadPlan::new(223);
        assert_eq!(
            plan.push(&[0x75, 0x84, 0x7F, 0xFF, 0xFF, 0xFF]),
            Err(PlanError::TooLarge(0x7FFF_FFFF + 6))
        );
        let mut plan = ReadPlan::new(223);
        plan.push(&[0x61, 0x03, 1]).unwrap();
        assert_eq!(plan.next_le(), Some(2));
        assert_eq!(plan.push(&[]), Err(PlanError::NoProgress(3)));
    }

    #[test]
    fn names_roundtrip() {
        for f in [
            ElementaryFile::Com,
            ElementaryFile::Sod,
            ElementaryFile::CardAccess,
            ElementaryFile::Dg(13),
        ] {
            assert_eq!(ElementaryFile::from_name(&f.name()), Some(f));
        }
        assert_eq!(
            ElementaryFile::from_dg_tag(0x6D),
            Some(ElementaryFile::Dg(13))
        );
        assert_eq!(ElementaryFile::Dg(14).fid(), 0x010E);
    }
}
