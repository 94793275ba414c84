//! Access control as the reader runs it: PACE when EF.CardAccess offers it, BAC otherwise,
//! and never a silent downgrade from PACE to BAC.

use super::{Channel, Session};
use crate::access::pace::{self, PaceConfig, PaceError, PacePassword};
use crate::access::{bac, AccessKey};
use crate::apdu::Command;
use crate::document::AccessProtocol;
use crate::error::Error;
use crate::files;
use crate::lds::protocol::{bsi_suffix, ARC_PACE};
use crate::lds::security_info::{Mapping, SecurityInfo, SecurityInfos};
use crate::transport::Transport;

impl<T: Transport> Session<T> {
    /// Runs access control with the session's key and selects the application.
    pub(super) fn authenticate(&mut self) -> Result<(), Error> {
        let key = self.key.clone();
        self.pace = None;
        self.cam_by_card_security = false;
        match self.pace_config()? {
            Some(config) => match self.run_pace(&config, &key) {
                Ok(()) => {
                    // Still in the master file: EF.CardSecurity (FID 011D there) before the
                    // application, whose EF.SOD has the same FID and SFI.
                    self.card_security_after_pace()?;
                    self.transmit_checked(&files::select_application(), "SELECT application")
                        .map(|_| ())
                }
                Err(Error::WrongAccessKey) => Err(Error::WrongAccessKey),
                Err(e) => match (&key, self.allow_bac_fallback) {
                    (AccessKey::Mrz(mrz), true) => {
                        // The chip may hold half a PACE state: start from a fresh field.
                        self.channel = Channel::Plain;
                        self.pace = None;
                        let _ = self.transport.reconnect();
                        let bac = self
                            .transmit_checked(&files::select_application(), "SELECT application")
                            .and_then(|_| self.run_bac(&mrz.mrz_information()));
                        if bac.is_err() {
                            self.channel = Channel::Closed;
                        }
                        bac
                    }
                    _ => Err(e),
                },
            },
            None => match &key {
                AccessKey::Mrz(mrz) => {
                    self.transmit_checked(&files::select_application(), "SELECT application")?;
                    self.run_bac(&mrz.mrz_information())
                }
                _ => Err(Error::Unsupported(
                    "a CAN needs PACE, and this card's EF.CardAccess offers none",
                )),
            },
        }
    }

    /// The PACE protocol to run: the first PACEInfo of EF.CardAccess we implement. The
    /// parameter id is sent (tag 84) when the card lists more than one. `None`: the card
    /// offers no PACE (no EF.CardAccess, or one without PACEInfo), so BAC it is. A card that
    /// offers PACE we cannot run is an error: using BAC instead would be a silent downgrade
    /// (unless the caller opted in with `danger::allow_bac_fallback`).
    fn pace_config(&self) -> Result<Option<PaceConfig>, Error> {
        let Some(raw) = self.card_access.as_deref() else {
            return Ok(None);
        };
        let downgrade = |why: &'static str| {
            if self.allow_bac_fallback {
                Ok(None)
            } else {
                Err(Error::Unsupported(why))
            }
        };
        let Ok(infos) = SecurityInfos::parse(raw) else {
            return downgrade("EF.CardAccess does not parse; refusing to fall back to BAC");
        };
        let listed: Vec<_> = infos.pace_infos().collect();
        // A PACEInfo under an id-PACE OID this library does not know (a mapping or cipher
        // arc from a later specification) is still PACE on offer: not a reason for BAC.
        let unknown_pace = infos.infos.iter().any(|info| {
            matches!(info, SecurityInfo::Unknown(u)
                if matches!(bsi_suffix(&u.protocol), Some([ARC_PACE, _, _, ..])))
        });
        if listed.is_empty() && !unknown_pace {
            return Ok(None);
        }
        let several = listed.len() > 1;
        // PACE-CAM first when offered: it proves the chip during access control (ICAO 9303-11
        // §4.4.3.5), with the key EF.CardSecurity signs; otherwise card order.
        let runnable: Vec<PaceConfig> = listed
            .into_iter()
            .filter_map(|info| PaceConfig::from_pace_info(info).ok())
            .collect();
        match runnable
            .iter()
            .find(|c| c.protocol.mapping == Mapping::ChipAuthentication)
            .or(runnable.first())
            .copied()
        {
            Some(c) => Ok(Some(c.with_parameter_id_sent(several))),
            None => downgrade("the card offers only PACE variants this library does not run"),
        }
    }

    fn run_pace(&mut self, config: &PaceConfig, key: &AccessKey) -> Result<(), Error> {
        let mrz_information;
        let password = match key {
            AccessKey::Can(can) => PacePassword::Can(can.as_bytes()),
            AccessKey::Mrz(mrz) => {
                mrz_information = mrz.mrz_information();
                PacePassword::Mrz(&mrz_information)
            }
        };
        let pace_err = |e: PaceError| match e {
            PaceError::WrongPassword => Error::WrongAccessKey,
            other => Error::Pace(other),
        };
        let (cmd, state) = pace::start(config, password).map_err(pace_err)?;
        let resp = self.pace_step(&cmd)?;
        let (cmd, state) = state.handle(&resp).map_err(pace_err)?;
        let resp = self.pace_step(&cmd)?;
        let (cmd, state) = state.handle(&resp, self.rng.as_mut()).map_err(pace_err)?;
        let resp = self.pace_step(&cmd)?;
        let (cmd, state) = state.handle(&resp, self.rng.as_mut()).map_err(pace_err)?;
        let resp = self.pace_step(&cmd)?;
        let (cmd, state) = state.handle(&resp).map_err(pace_err)?;
        let resp = self.pace_step(&cmd)?;
        let outcome = state.handle(&resp).map_err(pace_err)?;
        let (sm, binding) = outcome.into_parts();
        self.protocol = AccessProtocol::pace(&binding.config, matches!(key, AccessKey::Can(_)));
        self.pace = Some(binding);
        self.channel = Channel::Secure(sm);
        Ok(())
    }

    /// PACE runs before secure messaging, in the clear (a `6Cxx` answer re-sends the step
    /// with that Le, as for BAC).
    fn pace_step(&mut self, cmd: &Command) -> Result<crate::apdu::Response, Error> {
        self.transmit_plain(cmd)
    }

    pub(super) fn run_bac(&mut self, mrz_information: &[u8]) -> Result<(), Error> {
        let (cmd, state) = bac::start(mrz_information);
        let resp = self.transmit_plain(&cmd)?;
        let (cmd, state) = state.handle(&resp, self.rng.as_mut())?;
        let resp = self.transmit_plain(&cmd)?;
        let sm = state.handle(&resp)?;
        self.channel = Channel::Secure(sm);
        self.protocol = AccessProtocol::Bac;
        Ok(())
    }
}
