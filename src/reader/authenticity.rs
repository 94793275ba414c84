//! Clone detection during a read: Chip Authentication (or the CAM check of PACE-CAM) right
//! after DG14, so the rest of the document comes under the chip's keys, and Active
//! Authentication after DG15. Results are "ran"; the document's verification makes them
//! "trusted" once passive authentication proves DG14 and DG15.

use super::{Channel, Session};
use crate::access::active_auth;
use crate::access::chip_auth::{self as chip, CaError, CaParameters, CommandStyle};
use crate::access::pace::PaceBinding;
use crate::document::{AaFailure, ActiveAuthRun, CaFailure, ChipAuthMethod, ChipAuthRun};
use crate::error::Error;
use crate::files::ElementaryFile;
use crate::lds::dg14::Dg14;
use crate::lds::dg15::Dg15;
use crate::lds::security_info::{EcParameters, Mapping, PublicKey, SecurityInfo, SecurityInfos};
use crate::pki::cms::SignedData;
use crate::transport::Transport;
use crate::verify::active::{self, AaError};

/// Where Chip Authentication stands in a session.
#[derive(Debug, Clone, Default)]
pub(super) enum CaState {
    /// Not run.
    #[default]
    Idle,
    /// New keys installed: the next protected response tells.
    AwaitingFirstResponse,
    /// The session was lost before that answer: run it again in the new session.
    Retry,
    /// Finished. A chip that proved its key has `Completed` here: only the document's
    /// verification, once passive authentication proves DG14, calls it trusted.
    Done(ChipAuthRun),
}

/// Why Chip Authentication did not get its new keys.
enum CaAttempt {
    /// The chip refused or the data is unusable: a verdict.
    Refused(CaError),
    /// The transport or secure messaging failed midway: no verdict.
    Interrupted,
}

impl From<CaError> for CaAttempt {
    fn from(e: CaError) -> Self {
        Self::Refused(e)
    }
}

impl CaState {
    pub(super) fn needs_retry(&self) -> bool {
        matches!(self, Self::Retry)
    }

    pub(super) fn awaiting_first_response(&self) -> bool {
        matches!(self, Self::AwaitingFirstResponse)
    }

    /// After a re-open: a pending or successful run says nothing about the chip now in the
    /// field; a failure stays a failure.
    pub(super) fn must_rerun_after_reopen(&self) -> bool {
        match self {
            Self::AwaitingFirstResponse => true,
            Self::Done(r) => !matches!(r, ChipAuthRun::Failed { .. }),
            _ => false,
        }
    }
}

impl<T: Transport> Session<T> {
    /// After PACE, still in the master file: reads EF.CardSecurity (once per session chain)
    /// when PACE-CAM ran or EF.CardAccess announces the file, then judges PACE-CAM against the
    /// key it holds. Cards that neither use nor announce it get no extra APDU.
    pub(super) fn card_security_after_pace(&mut self) -> Result<(), Error> {
        if self.card_security.is_none() && self.wants_card_security() {
            // No re-open from inside access control: a failure here fails this open.
            let max_resumes = core::mem::replace(&mut self.max_resumes, 0);
            let record = self.read_optional(ElementaryFile::CardSecurity, &mut |_| {});
            self.max_resumes = max_resumes;
            self.card_security = Some(record?);
        }
        self.check_cam_with_card_security();
        Ok(())
    }

    /// PACE-CAM needs EF.CardSecurity (ICAO 9303-11 §4.4.3.5.2), and EF.CardAccess announces
    /// it by a protocol that runs in the master file (ICAO 9303-11 §9.2.11, BSI TR-03110-3
    /// §A.1.2): a PACE-CAM PACEInfo, Chip Authentication version 2 or 3, Terminal
    /// Authentication version 2. The CAv1/TAv1 infos of the real CCCD's EF.CardAccess belong
    /// to the eMRTD application (DG14), so the CCCD is not asked for the file.
    fn wants_card_security(&self) -> bool {
        let cam = self
            .pace
            .as_ref()
            .is_some_and(PaceBinding::has_chip_authentication_data);
        cam || self
            .card_access
            .as_deref()
            .and_then(|raw| SecurityInfos::parse(raw).ok())
            .is_some_and(|infos| announces_card_security(&infos))
    }

    /// PACE-CAM's chip key against EF.CardSecurity's keys (the file is judged later, by the
    /// verdict: this records what ran).
    fn check_cam_with_card_security(&mut self) {
        let Some(binding) = self
            .pace
            .as_ref()
            .filter(|b| b.has_chip_authentication_data())
        else {
            return;
        };
        let keys = self
            .card_security
            .as_ref()
            .and_then(|r| r.raw.as_deref())
            .map(card_security_keys)
            .unwrap_or_default();
        if keys.is_empty() {
            // Nothing to check against here: DG14's key decides.
            return;
        }
        let matched = keys
            .iter()
            .any(|point| binding.verify_chip_authentication_mapping(point).is_ok());
        self.ca = CaState::Done(if matched {
            ChipAuthRun::Completed {
                method: ChipAuthMethod::PaceCamCardSecurity,
            }
        } else {
            ChipAuthRun::Failed {
                failure: CaFailure::CamMismatch,
            }
        });
        self.cam_by_card_security = true;
    }

    /// After DG14: PACE-CAM's check, or Chip Authentication.
    pub(super) fn chip_authentication(&mut self, dg14_raw: &[u8]) {
        if self.cam_by_card_security {
            // PACE-CAM was judged against EF.CardSecurity's key in this session.
            return;
        }
        self.begin_phase("Chip Authentication");
        let dg14 = match Dg14::parse(dg14_raw) {
            Ok(d) => d,
            Err(e) => {
                self.ca = CaState::Done(ChipAuthRun::Failed {
                    failure: CaFailure::Dg14Malformed(e),
                });
                return;
            }
        };
        if let Some(binding) = self
            .pace
            .as_ref()
            .filter(|b| b.has_chip_authentication_data())
        {
            // PACE-CAM: the chip already proved its static key; check it against DG14's.
            let result = dg14
                .security_infos
                .chip_authentication_public_keys()
                .filter_map(|k| match &k.public_key.key {
                    PublicKey::Ec(ec) => Some(ec.point.clone()),
                    _ => None,
                })
                .find_map(|point| binding.verify_chip_authentication_mapping(&point).ok());
            self.ca = CaState::Done(match result {
                Some(()) => ChipAuthRun::Completed {
                    method: ChipAuthMethod::PaceCam,
                },
                None => ChipAuthRun::Failed {
                    failure: CaFailure::CamMismatch,
                },
            });
            return;
        }
        match self.run_chip_authentication(&dg14) {
            Ok(()) => self.ca = CaState::AwaitingFirstResponse,
            // The link failed, not the chip: the next read re-opens the session, then CA runs
            // again.
            Err(CaAttempt::Interrupted) => self.ca = CaState::Retry,
            Err(CaAttempt::Refused(e)) => {
                self.ca = CaState::Done(ChipAuthRun::from_exchange(Err(&e), Ok(())))
            }
        }
    }

    fn run_chip_authentication(&mut self, dg14: &Dg14) -> Result<(), CaAttempt> {
        let params = CaParameters::select(&dg14.security_infos, None)?;
        let (commands, state) = chip::start(&params, CommandStyle::Auto, self.rng.as_mut())?;
        let mut responses = Vec::with_capacity(commands.len());
        for cmd in &commands {
            let resp = self.exchange(cmd).map_err(|_| CaAttempt::Interrupted)?;
            let failed = !resp.sw.is_success();
            responses.push(resp);
            if failed {
                break;
            }
        }
        let sm = state.handle(&responses)?;
        self.channel = Channel::Secure(sm);
        Ok(())
    }

    /// Called by `exchange` with the outcome of the first unwrap under the CA keys.
    ///
    /// A rejected answer is what a clone produces, but also what one corrupted frame produces:
    /// the first rejection re-runs Chip Authentication in a new session, the second is final.
    pub(super) fn settle_chip_authentication(
        &mut self,
        first: Result<(), &crate::access::sm::SmError>,
    ) {
        if !matches!(self.ca, CaState::AwaitingFirstResponse) {
            return;
        }
        self.ca = match first {
            Err(_) if self.ca_second_chance => {
                self.ca_second_chance = false;
                CaState::Retry
            }
            _ => CaState::Done(ChipAuthRun::from_exchange(Ok(()), first)),
        };
    }

    /// What Chip Authentication did in this session ("ran", not "trusted").
    pub(super) fn chip_authentication_result(&self) -> ChipAuthRun {
        match &self.ca {
            CaState::Idle => ChipAuthRun::NotAttempted,
            CaState::Retry | CaState::AwaitingFirstResponse => ChipAuthRun::Failed {
                failure: CaFailure::Incomplete,
            },
            CaState::Done(r) => r.clone(),
        }
    }

    /// After DG15: INTERNAL AUTHENTICATE with the caller's or a random challenge.
    pub(super) fn active_authentication(
        &mut self,
        dg15_raw: &[u8],
        dg14_raw: Option<&[u8]>,
        challenge: Option<[u8; 8]>,
    ) -> Result<ActiveAuthRun, Error> {
        let dg15 = match Dg15::parse(dg15_raw) {
            Ok(d) => d,
            Err(e) => {
                return Ok(ActiveAuthRun::Failed {
                    failure: AaFailure::Dg15Malformed(e),
                })
            }
        };
        let dg14 = dg14_raw.and_then(|raw| Dg14::parse(raw).ok());
        let aa_info = dg14
            .as_ref()
            .and_then(|d| d.security_infos.active_authentication().cloned());
        let key = dg15.public_key();
        if let PublicKey::Ec(ec) = key {
            if matches!(ec.parameters, EcParameters::ImplicitlyCa) {
                return Ok(ActiveAuthRun::NotSupported);
            }
        }
        let challenge = match challenge {
            Some(c) => c,
            None => active_auth::challenge(self.rng.as_mut())
                .map_err(|_| Error::Crypto(crate::crypto::CryptoError::Random))?,
        };
        // A transport or secure-messaging failure here is the read's failure, not the chip's.
        let resp = self.exchange(&active_auth::command(&challenge, key))?;
        if !resp.sw.is_success() {
            // DG15 says the chip has an AA key: refusing to use it is what a clone does.
            return Ok(ActiveAuthRun::Failed {
                failure: AaFailure::Refused(resp.sw),
            });
        }
        let outcome = active_auth::signature(&resp)
            .and_then(|sig| active::verify(key, aa_info.as_ref(), &challenge, sig));
        Ok(ActiveAuthRun::from_outcome(
            outcome.as_ref().map(|_| ()).map_err(|e: &AaError| e),
        ))
    }

    /// Active Authentication with re-opens on transport failures, remembering the session.
    pub(super) fn run_active_authentication(
        &mut self,
        dg15: &[u8],
        dg14: Option<&[u8]>,
        options: &super::ReadOptions,
    ) -> Result<ActiveAuthRun, Error> {
        self.begin_phase("Active Authentication");
        loop {
            match self.active_authentication(dg15, dg14, options.active_authentication_challenge) {
                Ok(result) => {
                    self.aa_epoch = Some(self.epoch);
                    return Ok(result);
                }
                Err(e) if super::is_recoverable(&e) && self.resumes < self.max_resumes => {
                    self.resumes += 1;
                    self.reopen()?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sends one cheap protected command (one byte of EF.COM) so that the first answer under
    /// new Chip Authentication keys arrives when no file read is left to carry it.
    pub(super) fn confirm_chip_authentication(&mut self) -> Result<(), Error> {
        if !self.ca.awaiting_first_response() {
            return Ok(());
        }
        let cmd = crate::files::read_binary_sfi(crate::files::ElementaryFile::Com, 0, 1);
        match self.exchange(&cmd) {
            Ok(_) => Ok(()),
            Err(e) if super::is_recoverable(&e) && self.resumes < self.max_resumes => {
                self.resumes += 1;
                self.reopen()
            }
            Err(e) => Err(e),
        }
    }
}

/// Whether EF.CardAccess names a protocol that needs EF.CardSecurity (see
/// `Session::wants_card_security`).
fn announces_card_security(infos: &SecurityInfos) -> bool {
    infos.infos.iter().any(|info| match info {
        SecurityInfo::Pace(p) => p.protocol.mapping == Mapping::ChipAuthentication,
        SecurityInfo::ChipAuthentication(c) => c.version >= 2,
        SecurityInfo::TerminalAuthentication(t) => t.version == 2,
        _ => false,
    })
}

/// The EC points of the ChipAuthenticationPublicKeyInfos EF.CardSecurity holds, unverified
/// (empty when the file does not parse).
fn card_security_keys(raw: &[u8]) -> Vec<Vec<u8>> {
    SignedData::parse_content_info(raw)
        .ok()
        .and_then(|sd| sd.econtent)
        .and_then(|content| SecurityInfos::parse(&content).ok())
        .map(|infos| {
            infos
                .chip_authentication_public_keys()
                .filter_map(|k| match &k.public_key.key {
                    PublicKey::Ec(ec) => Some(ec.point.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}
