//! The card's file system: the master file holding EF.CardAccess (and EF.CardSecurity, EF.ATR/INFO
//! when the chip has them), and the eMRTD applet's elementary files (ICAO 9303-10 §3.6, §3.9).
//!
//! Files are told apart by their DF and FID: EF.CardSecurity (master file) and EF.SOD (applet)
//! share FID `011D` and SFI `1D` (ICAO 9303-10 §3.9.2, 9303-11 §9.2.11). With the applet
//! selected its own file wins; master-file files without a twin stay reachable (readers read
//! EF.CardAccess at any time).

use std::collections::BTreeMap;

/// The eMRTD application identifier (ICAO 9303-10 §3.6.2).
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// EF.CardAccess (master file).
pub const FID_CARD_ACCESS: u16 = 0x011C;
/// EF.COM.
pub const FID_COM: u16 = 0x011E;
/// EF.SOD.
pub const FID_SOD: u16 = 0x011D;
/// EF.CardSecurity (master file): the same FID and SFI as EF.SOD, in another DF.
pub const FID_CARD_SECURITY: u16 = 0x011D;

/// The FID of data group `n` (`01nn`).
pub fn fid_dg(n: u8) -> u16 {
    0x0100 | u16::from(n)
}

/// Where an elementary file lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Location {
    /// The master file: reachable before the applet is selected (EF.CardAccess).
    MasterFile,
    /// The eMRTD applet: reachable once the applet is selected.
    Applet,
}

/// Who may read an elementary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Access {
    /// Anyone, without secure messaging.
    Free,
    /// Only through a secure-messaging session (after BAC or PACE).
    SecureMessaging,
    /// Nobody this simulator can authenticate (DG3 needs EAC terminal authentication): `6982`.
    Never,
}

/// One elementary file.
#[derive(Clone, PartialEq, Eq)]
pub struct ElementaryFile {
    /// File identifier.
    pub fid: u16,
    /// Short file identifier (1..=30), for READ BINARY by SFI.
    pub sfi: Option<u8>,
    /// Where it lives.
    pub location: Location,
    /// Access condition for reading.
    pub access: Access,
    /// The file's bytes.
    pub content: Vec<u8>,
}

impl core::fmt::Debug for ElementaryFile {
    // Content is personal data: length only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "ElementaryFile({:04X}, {:?}, {:?}, {} bytes)",
            self.fid,
            self.location,
            self.access,
            self.content.len()
        )
    }
}

impl ElementaryFile {
    /// An applet file protected by secure messaging, with the SFI of its FID's low byte.
    pub fn protected(fid: u16, content: Vec<u8>) -> Self {
        Self {
            fid,
            sfi: Some((fid & 0x1F) as u8),
            location: Location::Applet,
            access: Access::SecureMessaging,
            content,
        }
    }
}

/// The card's elementary files by DF and FID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSystem {
    files: BTreeMap<(Location, u16), ElementaryFile>,
}

impl FileSystem {
    /// An empty file system.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a file (in its own DF).
    pub fn insert(&mut self, ef: ElementaryFile) {
        self.files.insert((ef.location, ef.fid), ef);
    }

    /// Removes the file with this FID: the applet's, else the master file's.
    pub fn remove(&mut self, fid: u16) -> Option<ElementaryFile> {
        self.files
            .remove(&(Location::Applet, fid))
            .or_else(|| self.files.remove(&(Location::MasterFile, fid)))
    }

    /// Removes the file with this FID in `location` only.
    pub fn remove_in(&mut self, location: Location, fid: u16) -> Option<ElementaryFile> {
        self.files.remove(&(location, fid))
    }

    /// The file with this FID: the applet's, else the master file's.
    pub fn get(&self, fid: u16) -> Option<&ElementaryFile> {
        self.files
            .get(&(Location::Applet, fid))
            .or_else(|| self.files.get(&(Location::MasterFile, fid)))
    }

    /// The file with this FID in `location` only.
    pub fn get_in(&self, location: Location, fid: u16) -> Option<&ElementaryFile> {
        self.files.get(&(location, fid))
    }

    /// The file with this FID (the applet's, else the master file's), to change its content or
    /// access (fault injection).
    pub fn get_mut(&mut self, fid: u16) -> Option<&mut ElementaryFile> {
        if self.files.contains_key(&(Location::Applet, fid)) {
            self.files.get_mut(&(Location::Applet, fid))
        } else {
            self.files.get_mut(&(Location::MasterFile, fid))
        }
    }

    /// The content of the file with this FID (the applet's, else the master file's).
    pub fn content(&self, fid: u16) -> Option<&[u8]> {
        self.get(fid).map(|f| f.content.as_slice())
    }

    /// The content of the file with this FID in `location` only.
    pub fn content_in(&self, location: Location, fid: u16) -> Option<&[u8]> {
        self.get_in(location, fid).map(|f| f.content.as_slice())
    }

    /// All files, master file first, each DF by FID.
    pub fn iter(&self) -> impl Iterator<Item = &ElementaryFile> {
        self.files.values()
    }

    /// A file reachable by FID: with the applet selected, the applet's file, else a master-file
    /// file (master-file files stay reachable after the applet is selected, as readers read
    /// EF.CardAccess at any time); before, only master-file files.
    pub(crate) fn find_fid(&self, fid: u16, applet: bool) -> Option<&ElementaryFile> {
        self.find(applet, |f| f.fid == fid)
    }

    /// A file reachable by short file identifier, with the same precedence as [`Self::find_fid`].
    pub(crate) fn find_sfi(&self, sfi: u8, applet: bool) -> Option<&ElementaryFile> {
        self.find(applet, |f| f.sfi == Some(sfi))
    }

    fn find(
        &self,
        applet: bool,
        wanted: impl Fn(&ElementaryFile) -> bool,
    ) -> Option<&ElementaryFile> {
        let in_applet = || {
            self.iter()
                .find(|f| f.location == Location::Applet && wanted(f))
        };
        let in_mf = || {
            self.iter()
                .find(|f| f.location == Location::MasterFile && wanted(f))
        };
        if applet {
            in_applet().or_else(in_mf)
        } else {
            in_mf()
        }
    }
}
