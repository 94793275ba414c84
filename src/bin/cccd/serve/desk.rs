//! The desk API: one card reader on this machine (or the simulator), one read at a time.
//!
//! - `GET /api/v1/readers`: the readers and whether each holds a card;
//! - `GET /api/v1/events`: Server-Sent Events (`reader`, `card`, `progress`, `result`,
//!   `error`, `cleared`), so the page follows the reader without polling;
//! - `POST /api/v1/read` with the library's [`ReadRequest`] key fields: the document and its
//!   verdict (the library's schema); `GET /api/v1/result` and `GET /api/v1/face` give the last
//!   result and its face image again;
//! - `POST /api/v1/clear`, and the card leaving the reader, forget the last result;
//! - with `--sim`, `POST /api/v1/sim/card {"present": bool}` pulls the card out or puts it back.
//!
//! The result lives in memory only, wiped when cleared. Events carry no personal data: file
//! names, byte counts, verdict words and error codes.

use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use cccd::reader::{Progress, Reader};
use cccd::report::Report;
use cccd::request::ReadRequest;
use cccd::sim::{Card, CardOptions, Faults, Profile, SimTransport};
use cccd::transport::Transport;
use futures_util::stream::Stream;
use tokio::sync::broadcast;
use zeroize::Zeroizing;

use super::error::{json_response, ApiError};
use super::verify_api::wipe;
use super::{App, ServeArgs};
use crate::Failure;

/// The simulated reader's name, as `GET /api/v1/readers` lists it.
pub(crate) const SIM_READER: &str = "cccd simulator";

/// How many events a slow page may fall behind before it misses some (it then reloads state).
const EVENT_BUFFER: usize = 256;

/// Where cards come from.
enum Source {
    /// The simulator: a fresh card of this profile and seed for each read.
    Sim {
        profile: Profile,
        seed: u64,
        options: CardOptions,
        faults: Faults,
        present: AtomicBool,
    },
    /// A PC/SC reader (a substring of its name), or the first holding a card.
    #[cfg_attr(not(feature = "pcsc"), allow(dead_code))]
    Pcsc { reader: Option<String> },
}

/// The last read's answer, kept until the card leaves or the clerk clears it.
struct LastResult {
    json: Zeroizing<String>,
    face: Option<(Zeroizing<Vec<u8>>, &'static str)>,
}

/// A reader's state, as the PC/SC watcher last saw it.
#[derive(Clone, serde::Serialize)]
pub(crate) struct ReaderState {
    pub name: String,
    pub card_present: bool,
}

/// The desk: its card source, the last result, the event channel.
pub(crate) struct Desk {
    source: Source,
    last: Mutex<Option<LastResult>>,
    /// Raised each time the card leaves: a read that began before does not store its result.
    removals: AtomicU64,
    busy: tokio::sync::Mutex<()>,
    events: broadcast::Sender<DeskEvent>,
    readers: Mutex<Vec<ReaderState>>,
}

/// One Server-Sent Event: its name and JSON data.
#[derive(Clone)]
pub(crate) struct DeskEvent {
    name: &'static str,
    data: String,
}

impl Desk {
    pub fn new(args: &ServeArgs) -> Result<Self, Failure> {
        let source = match args.sim {
            Some(seed) => {
                let profile: Profile = args.sim_profile.parse()?;
                let (options, faults) = crate::sim::sim_options(&args.sim_options)?;
                Source::Sim {
                    profile,
                    seed,
                    options,
                    faults,
                    present: AtomicBool::new(true),
                }
            }
            None => Source::Pcsc {
                reader: args.reader.clone(),
            },
        };
        let readers = match &source {
            Source::Sim { .. } => vec![ReaderState {
                name: SIM_READER.into(),
                card_present: true,
            }],
            Source::Pcsc { .. } => Vec::new(),
        };
        Ok(Self {
            source,
            last: Mutex::new(None),
            removals: AtomicU64::new(0),
            busy: tokio::sync::Mutex::new(()),
            events: broadcast::channel(EVENT_BUFFER).0,
            readers: Mutex::new(readers),
        })
    }

    pub fn is_sim(&self) -> bool {
        matches!(self.source, Source::Sim { .. })
    }

    /// The reader name a `--reader` asked for (PC/SC only).
    #[cfg_attr(not(feature = "pcsc"), allow(dead_code))]
    pub fn wanted_reader(&self) -> Option<&str> {
        match &self.source {
            Source::Pcsc { reader } => reader.as_deref(),
            Source::Sim { .. } => None,
        }
    }

    fn send(&self, name: &'static str, data: serde_json::Value) {
        // No subscriber is not an error: the page may not be open.
        let _ = self.events.send(DeskEvent {
            name,
            data: data.to_string(),
        });
    }

    /// The watcher (or the simulator) saw the readers change.
    pub fn set_readers(&self, now: Vec<ReaderState>) {
        let before = std::mem::replace(&mut *lock(&self.readers), now.clone());
        for r in &now {
            let old = before.iter().find(|b| b.name == r.name);
            if old.is_none() {
                self.send(
                    "reader",
                    serde_json::json!({"reader": r.name, "event": "added"}),
                );
            }
            let was_present = old.is_some_and(|o| o.card_present);
            if r.card_present != was_present {
                self.card_changed(&r.name, r.card_present);
            }
        }
        for b in &before {
            if !now.iter().any(|r| r.name == b.name) {
                self.send(
                    "reader",
                    serde_json::json!({"reader": b.name, "event": "removed"}),
                );
                if b.card_present {
                    self.card_changed(&b.name, false);
                }
            }
        }
    }

    /// A card was inserted or removed; a removal forgets the last result.
    fn card_changed(&self, reader: &str, present: bool) {
        let event = if present { "inserted" } else { "removed" };
        self.send(
            "card",
            serde_json::json!({"reader": reader, "event": event}),
        );
        if !present {
            self.removals.fetch_add(1, Ordering::SeqCst);
            self.clear("card_removed");
        }
    }

    /// Forgets (and wipes) the last result.
    fn clear(&self, why: &'static str) {
        let old = lock(&self.last).take();
        drop(old); // Zeroizing wipes the JSON and the face.
        self.send("cleared", serde_json::json!({"reason": why}));
    }

    /// One read, start to verdict, on a blocking thread.
    fn read_blocking(&self, app: &App, request: &ReadRequest) -> Result<LastResult, ApiError> {
        let key = request
            .access_key()
            .map_err(|e| ApiError::from_request(&e))?;
        let options = request.read_options();
        let removals = self.removals.load(Ordering::SeqCst);
        let start = Instant::now();
        let mut last_percent = u64::MAX;
        let mut progress = |p: &Progress| {
            let total = p.file_total.unwrap_or(0);
            let percent = (p.file_read.min(total) * 100)
                .checked_div(total)
                .unwrap_or(0) as u64;
            // One event per file per 5 %, not one per APDU.
            if percent / 5 != last_percent / 5 || p.file_read == 0 {
                last_percent = percent;
                self.send(
                    "progress",
                    serde_json::json!({
                        "file": p.file.name(),
                        "read": p.file_read,
                        "total": p.file_total,
                        "percent": percent,
                        "session_read": p.session_read,
                    }),
                );
            }
        };
        self.send("progress", serde_json::json!({"phase": "access_control"}));
        let read = match &self.source {
            Source::Sim {
                profile,
                seed,
                options: card_options,
                faults,
                present,
            } => {
                if present.load(Ordering::SeqCst) {
                    let card = Card::with_options(*profile, *seed, card_options.clone());
                    read_with(
                        SimTransport::with_faults(card, faults.clone()),
                        &key,
                        &options,
                        &mut progress,
                    )
                } else {
                    Err(cccd::Error::Transport(
                        cccd::transport::TransportError::NoCard,
                    ))
                }
            }
            Source::Pcsc { reader } => read_pcsc(reader.as_deref(), &key, &options, &mut progress),
        };
        drop(key);
        let document = match read {
            Ok(d) => d,
            Err(e) => {
                let error = ApiError::from_read(&e);
                let outcome = match error.report.error.code.as_str() {
                    "wrong_access_key" => "wrong_access_key",
                    "no_card" => "no_card",
                    _ => "failed",
                };
                app.metrics.read(outcome, start.elapsed().as_secs_f64());
                return Err(error);
            }
        };
        let (verifier, pa_options) = app.trust.desk();
        let verification = verifier.verify(&document, Some(&pa_options));
        let json = Zeroizing::new(Report::document(&document, Some(&verification)).to_json());
        let outcome = if verification.genuine {
            "genuine"
        } else {
            "not_genuine"
        };
        app.metrics.read(outcome, start.elapsed().as_secs_f64());
        let face = face_of(&document);
        if self.removals.load(Ordering::SeqCst) != removals {
            // The card left during the read: its result must not outlive it.
            return Err(ApiError::from_read(&cccd::Error::Transport(
                cccd::transport::TransportError::CardRemoved,
            )));
        }
        let findings: Vec<&str> = verification.blocking().map(|f| f.code()).collect();
        self.send(
            "result",
            serde_json::json!({"genuine": verification.genuine, "findings": findings}),
        );
        Ok(LastResult { json, face })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means a panic between two complete values.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn read_with<T: Transport>(
    t: T,
    key: &cccd::access::AccessKey,
    options: &cccd::reader::ReadOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<cccd::document::Document, cccd::Error> {
    let mut session = Reader::new(t).open(key)?;
    session.read_document(options, progress)
}

#[cfg(feature = "pcsc")]
fn read_pcsc(
    reader: Option<&str>,
    key: &cccd::access::AccessKey,
    options: &cccd::reader::ReadOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<cccd::document::Document, cccd::Error> {
    use cccd::transport::pcsc::PcscTransport;
    let t = match reader {
        Some(name) => PcscTransport::connect(name)?,
        None => PcscTransport::wait_for_card(None, Duration::from_secs(2))?,
    };
    read_with(t, key, options, progress)
}

#[cfg(not(feature = "pcsc"))]
fn read_pcsc(
    _: Option<&str>,
    _: &cccd::access::AccessKey,
    _: &cccd::reader::ReadOptions,
    _: &mut dyn FnMut(&Progress),
) -> Result<cccd::document::Document, cccd::Error> {
    Err(cccd::Error::Transport(
        cccd::transport::TransportError::NoService,
    ))
}

/// The first face image of DG2, as a browser shows it: JPEG as is, anything else as PNG.
fn face_of(document: &cccd::document::Document) -> Option<(Zeroizing<Vec<u8>>, &'static str)> {
    let raw = document.raw(cccd::ElementaryFile::Dg(2))?;
    let dg2 = cccd::lds::dg2::Dg2::parse(raw).ok()?;
    let faces = dg2.face_images();
    let face = faces.first()?;
    if face.data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some((Zeroizing::new(face.data.to_vec()), "image/jpeg"));
    }
    face.to_png()
        .ok()
        .map(|png| (Zeroizing::new(png), "image/png"))
}

fn desk(app: &App) -> Result<&Arc<Desk>, ApiError> {
    app.desk.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "this service has no desk (--verify-only)",
        )
    })
}

/// `GET /api/v1/readers`.
pub(crate) async fn readers(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let desk = desk(&app)?;
    let readers = lock(&desk.readers).clone();
    let body = serde_json::json!({ "readers": readers });
    Ok(json_response(StatusCode::OK, body.to_string()))
}

/// `GET /api/v1/events`: Server-Sent Events until the client leaves or the service stops.
pub(crate) async fn events(
    State(app): State<Arc<App>>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let desk = desk(&app)?;
    let rx = desk.events.subscribe();
    let hello = DeskEvent {
        name: "hello",
        data: serde_json::json!({ "readers": lock(&desk.readers).clone() }).to_string(),
    };
    let stop = app.shutdown.clone();
    let stream = futures_util::stream::unfold(
        (Some(hello), rx, stop),
        |(first, mut rx, mut stop)| async move {
            if let Some(e) = first {
                let ev = Event::default().event(e.name).data(e.data);
                return Some((Ok(ev), (None, rx, stop)));
            }
            tokio::select! {
                got = rx.recv() => match got {
                    Ok(e) => {
                        let ev = Event::default().event(e.name).data(e.data);
                        Some((Ok(ev), (None, rx, stop)))
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let ev = Event::default().event("lagged").data("{}");
                        Some((Ok(ev), (None, rx, stop)))
                    }
                    Err(broadcast::error::RecvError::Closed) => None,
                },
                _ = stop.changed() => None,
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// `POST /api/v1/read`.
pub(crate) async fn read(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    ApiError::check_json(&headers)?;
    let body = body.map_err(ApiError::from_body)?;
    let desk = Arc::clone(desk(&app)?);
    let request = {
        let parsed = std::str::from_utf8(&body)
            .map_err(|_| ApiError::bad_request("malformed request: not UTF-8"))
            .and_then(|text| ReadRequest::from_json(text).map_err(|e| ApiError::from_request(&e)));
        wipe(body);
        parsed?
    };
    if !request.trust.is_empty()
        || !request.ml_signer_roots.is_empty()
        || !request.crls.is_empty()
        || request.danger_unverified_master_list
        || request.reader.is_some()
    {
        return Err(ApiError::bad_request(
            "reader, trust, ml_signer_roots, crls and danger_unverified_master_list are the \
             service's own (cccd serve --reader/--trust ...); a request cannot name them",
        ));
    }
    let Ok(_busy) = desk.busy.try_lock() else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "busy",
            "a read is already running at this desk",
        ));
    };
    desk.send("progress", serde_json::json!({"phase": "started"}));
    let worker = Arc::clone(&app);
    let reading = Arc::clone(&desk);
    let outcome = tokio::task::spawn_blocking(move || reading.read_blocking(&worker, &request))
        .await
        .map_err(|_| ApiError::internal())?;
    match outcome {
        Ok(result) => {
            let body = result.json.to_string();
            *lock(&desk.last) = Some(result);
            Ok(json_response(StatusCode::OK, body))
        }
        Err(e) => {
            desk.send(
                "error",
                serde_json::json!({"code": e.report.error.code, "status": e.status.as_u16()}),
            );
            Err(e)
        }
    }
}

/// `GET /api/v1/result`: the last read's document and verdict, 404 when none.
pub(crate) async fn result(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let desk = desk(&app)?;
    let json = lock(&desk.last).as_ref().map(|r| r.json.to_string());
    json.map(|j| json_response(StatusCode::OK, j))
        .ok_or_else(no_result)
}

/// `GET /api/v1/face`: the last read's face image, 404 when none.
pub(crate) async fn face(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let desk = desk(&app)?;
    let face = lock(&desk.last)
        .as_ref()
        .and_then(|r| r.face.as_ref().map(|(b, t)| (b.to_vec(), *t)));
    let (bytes, mime) = face.ok_or_else(no_result)?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(mime))],
        bytes,
    )
        .into_response())
}

fn no_result() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_result",
        "no result: no card was read since the last one left",
    )
}

/// `POST /api/v1/clear`.
pub(crate) async fn clear(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    desk(&app)?.clear("clear");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/v1/sim/card {"present": bool}` (only with `--sim`): the clerk pulls the card out
/// or puts it back.
pub(crate) async fn sim_card(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    ApiError::check_json(&headers)?;
    let body = body.map_err(ApiError::from_body)?;
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SimCard {
        present: bool,
    }
    let wanted: SimCard = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("expected {\"present\": true|false}"))?;
    let desk = desk(&app)?;
    let Source::Sim { present, .. } = &desk.source else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no simulated card",
        ));
    };
    present.store(wanted.present, Ordering::SeqCst);
    desk.set_readers(vec![ReaderState {
        name: SIM_READER.into(),
        card_present: wanted.present,
    }]);
    Ok(StatusCode::NO_CONTENT.into_response())
}
