//! Watches the PC/SC readers for the desk: readers plugged in or out, cards inserted or
//! removed, reported to [`Desk::set_readers`] (which clears the last result when the card
//! leaves).
//!
//! A thread of its own blocks in `SCardGetStatusChange` for at most [`WAIT`] at a time, so it
//! notices new readers, the stop flag and a smart-card service that went away.

use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use pcsc::{Context, ReaderState, Scope, State};

use super::desk::{self, Desk};

/// The longest one wait for a change blocks.
const WAIT: Duration = Duration::from_millis(500);

/// The running watcher; [`Watcher::stop`] ends it.
pub(crate) struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub(crate) fn spawn(desk: Arc<Desk>) -> Watcher {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("cccd-pcsc-watch".into())
        .spawn(move || watch(&desk, &flag))
        .ok();
    if thread.is_none() {
        eprintln!("cccd serve: cannot start the reader watcher: card removal is not seen");
    }
    Watcher { stop, thread }
}

fn watch(desk: &Desk, stop: &AtomicBool) {
    let wanted = desk.wanted_reader().map(str::to_lowercase);
    let mut ctx: Option<Context> = None;
    while !stop.load(Ordering::SeqCst) {
        let Some(c) = ctx.take().or_else(|| Context::establish(Scope::User).ok()) else {
            desk.set_readers(Vec::new());
            std::thread::sleep(WAIT);
            continue;
        };
        match round(&c, wanted.as_deref()) {
            Ok(now) => {
                desk.set_readers(now);
                ctx = Some(c);
            }
            // The service went away (pcscd stopped, Windows' last reader unplugged): a new
            // context later.
            Err(_) => {
                desk.set_readers(Vec::new());
                std::thread::sleep(WAIT);
            }
        }
    }
}

/// Returns every matching reader and its card state, after waiting up to [`WAIT`] for a
/// change (a reader plugged in is seen by the next round's listing).
fn round(ctx: &Context, wanted: Option<&str>) -> Result<Vec<desk::ReaderState>, pcsc::Error> {
    let names: Vec<CString> = match ctx.list_readers_owned() {
        Ok(n) => n,
        Err(pcsc::Error::NoReadersAvailable) => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut states: Vec<ReaderState> = names
        .into_iter()
        .filter(|n| wanted.is_none_or(|w| n.to_string_lossy().to_lowercase().contains(w)))
        .map(|n| ReaderState::new(n, State::UNAWARE))
        .collect();
    if states.is_empty() {
        std::thread::sleep(WAIT);
        return Ok(Vec::new());
    }
    // First the current state, then a wait for any change from it.
    ctx.get_status_change(Duration::ZERO, &mut states)?;
    for s in &mut states {
        s.sync_current_state();
    }
    match ctx.get_status_change(WAIT, &mut states) {
        // A reader unplugged during the wait: the next listing tells.
        Ok(()) | Err(pcsc::Error::Timeout | pcsc::Error::UnknownReader) => {}
        Err(e) => return Err(e),
    }
    Ok(states
        .iter()
        .map(|s| desk::ReaderState {
            name: s.name().to_string_lossy().into_owned(),
            card_present: s.event_state().contains(State::PRESENT)
                && !s.event_state().contains(State::MUTE),
        })
        .collect())
}
