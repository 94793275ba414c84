//! Test harness: a private `pcscd` with only a vsmartcard `vpcd` reader, so tests go through
//! the real PC/SC stack (libpcsclite -> pcscd -> vpcd -> TCP -> our `VirtualCard`).
//!
//! Isolation from any system pcscd:
//! - pcscd 1.9 has its socket path compiled in (`/run/pcscd/pcscd.comm`), but it accepts a
//!   listening socket from systemd socket activation (`LISTEN_FDS`/`LISTEN_PID`, fd 3). The
//!   harness binds a Unix socket in a temporary directory and hands it over that way.
//! - The client library reads `PCSCLITE_CSOCK_NAME` (once per process) to find that socket.
//! - `-c DIR` gives pcscd a reader.conf.d with only the vpcd reader, on a free TCP port.
//! - Where `unshare` works (root in most containers), pcscd runs in a private mount namespace
//!   with a tmpfs on `/run/pcscd`, so its pid file cannot disturb a system pcscd.
//!
//! One pcscd per test, started and stopped under a process-wide lock: the client library's
//! socket path is per process, so tests in one binary take turns.
//!
//! When pcscd cannot run, [`start`] fails the test. A developer without pcscd may set
//! `CCCD_ALLOW_SKIP=1`: [`start`] then prints `SKIPPED: <test>: <reason>` to stderr (never
//! captured by the test runner) and returns `None`. CI never sets it.
//! `CCCD_PCSCD_BIN=/path/to/pcscd` picks another pcscd; `CCCD_PCSCD_DEBUG=1` runs pcscd with `--debug --apdu` (log kept in [`Pcscd::log`]).
#![allow(dead_code)]

use cccd::sim::vpcd::{serve_with, ServeOptions, SessionEnd, VirtualCard, VpcdError};
use cccd::transport::pcsc::PcscTransport;
use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The reader's friendly name; pcscd appends ` 00 00` (slot 0) and ` 00 01` (slot 1).
pub const READER: &str = "cccd vpcd";

/// How long pcscd gets to show its reader.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// The candidates for the vpcd driver (Debian, Fedora, self-built).
const VPCD_DRIVERS: &[&str] = &[
    "/usr/lib/pcsc/drivers/serial/libifdvpcd.so",
    "/usr/lib64/pcsc/drivers/serial/libifdvpcd.so",
    "/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so",
];

/// The pcscd binaries tried in order.
const PCSCD_BINARIES: &[&str] = &["/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd"];

/// Runs pcscd with fd 3 = the socket passed as stdin, announced as socket-activated.
const LAUNCH_SCRIPT: &str = r#"exec 3<&0 0</dev/null
if [ "$1" = private ]; then
    mkdir -p /run/pcscd && mount -t tmpfs -o size=1m,mode=0755 tmpfs /run/pcscd || exit 97
fi
pcscd=$2
shift 2
LISTEN_PID=$$
LISTEN_FDS=1
export LISTEN_PID LISTEN_FDS
exec "$pcscd" "$@"
"#;

static LOCK: Mutex<()> = Mutex::new(());
static INSTANCE: AtomicUsize = AtomicUsize::new(0);

/// A running private pcscd. Dropping it stops pcscd and removes its files.
pub struct Pcscd {
    child: Child,
    dir: PathBuf,
    port: u16,
    _turn: MutexGuard<'static, ()>,
}

impl Pcscd {
    /// Where the card connects (vpcd's slot 0).
    pub fn card_addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The PC/SC name of slot 0, where [`Pcscd::insert`] puts cards.
    pub fn reader_name(&self) -> String {
        format!("{READER} 00 00")
    }

    /// pcscd's output so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("pcscd.log")).unwrap_or_default()
    }

    /// Puts `card` into the reader: serves it from a thread until removed.
    pub fn insert<C: VirtualCard + Send + 'static>(&self, card: C) -> Inserted<C> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let addr = self.card_addr();
        let thread = std::thread::spawn(move || {
            let mut card = card;
            let options = ServeOptions::default();
            let end = serve_with(&addr, &mut card, &flag, &options);
            (card, end)
        });
        Inserted { stop, thread }
    }

    /// Puts `card` into the reader and puts it back each time it leaves (a simulated tag
    /// loss drops the connection), until removed.
    #[allow(dead_code)]
    pub fn insert_reinserting<C: VirtualCard + Send + 'static>(&self, card: C) -> Inserted<C> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let addr = self.card_addr();
        let thread = std::thread::spawn(move || {
            let mut card = card;
            let options = ServeOptions::default();
            loop {
                let end = serve_with(&addr, &mut card, &flag, &options);
                if flag.load(Ordering::Relaxed) || !matches!(end, Ok(SessionEnd::Disconnected)) {
                    return (card, end);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        Inserted { stop, thread }
    }

    /// Waits until pcscd reports the reader empty or holding a card.
    pub fn wait_card_state(&self, present: bool, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let reader = std::ffi::CString::new(self.reader_name()).unwrap_or_default();
        let Ok(ctx) = pcsc::Context::establish(pcsc::Scope::User) else {
            return false;
        };
        loop {
            let mut states = [pcsc::ReaderState::new(reader.clone(), pcsc::State::UNAWARE)];
            if ctx.get_status_change(Duration::ZERO, &mut states).is_ok() {
                let state = states[0].event_state();
                let is_present = state.contains(pcsc::State::PRESENT);
                let is_empty = state.contains(pcsc::State::EMPTY);
                if (present && is_present) || (!present && is_empty) {
                    return true;
                }
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        // SIGTERM first so pcscd cleans up after itself, SIGKILL if it lingers.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = self.log();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let _ = writeln!(
                std::io::stderr().lock(),
                "--- pcscd log (last lines) ---\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        let socket = socket_path();
        let _ = fs::remove_file(&socket);
        let _ = fs::remove_dir_all(&self.dir);
        if let Some(base) = socket.parent() {
            // Only succeeds once empty, i.e. when no other run of this process is left.
            let _ = fs::remove_dir(base);
        }
    }
}

/// A card in the reader, answered from its own thread.
pub struct Inserted<C> {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<(C, Result<SessionEnd, VpcdError>)>,
}

impl<C> Inserted<C> {
    /// Pulls the card out (closes the vpcd connection) and returns it with how its session
    /// ended.
    pub fn remove(self) -> (C, Result<SessionEnd, VpcdError>) {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.join() {
            Ok(out) => out,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// Starts a private pcscd for the calling test. When it cannot, the test fails, unless the
/// environment explicitly allows a skip (`CCCD_ALLOW_SKIP=1`): then it says why and returns
/// `None`.
pub fn start(test: &str) -> Option<Pcscd> {
    let turn = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match launch(turn) {
        Ok(pcscd) => Some(pcscd),
        Err(reason) => {
            if !std::env::var("CCCD_ALLOW_SKIP").is_ok_and(|v| v == "1") {
                panic!(
                    "pcscd harness unavailable ({test}): {reason} \
                     (install pcscd and vsmartcard-vpcd, or set CCCD_ALLOW_SKIP=1 to skip)"
                );
            }
            let _ = writeln!(std::io::stderr().lock(), "\nSKIPPED: {test}: {reason}");
            None
        }
    }
}

fn launch(turn: MutexGuard<'static, ()>) -> Result<Pcscd, String> {
    let chosen = std::env::var_os("CCCD_PCSCD_BIN").map(PathBuf::from);
    let pcscd = match &chosen {
        Some(path) if path.exists() => path.as_path(),
        Some(path) => return Err(format!("CCCD_PCSCD_BIN={} does not exist", path.display())),
        None => PCSCD_BINARIES
            .iter()
            .map(Path::new)
            .find(|p| p.exists())
            .ok_or("pcscd is not installed (Debian: apt-get install pcscd)")?,
    };
    let driver = VPCD_DRIVERS
        .iter()
        .map(Path::new)
        .find(|p| p.exists())
        .ok_or(
            "the vpcd reader driver is not installed (Debian: apt-get install vsmartcard-vpcd)",
        )?;

    let socket = socket_path();
    let base = socket.parent().ok_or("socket path has no parent")?;
    let dir = base.join(format!("run{}", INSTANCE.fetch_add(1, Ordering::Relaxed)));
    let conf = dir.join("reader.conf.d");
    fs::create_dir_all(&conf).map_err(|e| format!("cannot create {}: {e}", conf.display()))?;
    let port = free_port_pair().ok_or("no free pair of TCP ports for vpcd")?;
    let reader_conf = format!(
        "FRIENDLYNAME \"{READER}\"\nDEVICENAME /dev/null:0x{port:X}\nLIBPATH {}\nCHANNELID 0x{port:X}\n",
        driver.display()
    );
    fs::write(conf.join("vpcd"), reader_conf)
        .map_err(|e| format!("cannot write reader.conf: {e}"))?;

    let _ = fs::remove_file(&socket);
    let listener = UnixListener::bind(&socket)
        .map_err(|e| format!("cannot bind {}: {e}", socket.display()))?;
    let log = fs::File::create(dir.join("pcscd.log")).map_err(|e| format!("log file: {e}"))?;
    let log2 = log.try_clone().map_err(|e| format!("log file: {e}"))?;

    let private = private_mounts_work();
    let mut command = if private {
        let mut c = Command::new("unshare");
        c.args(["--mount", "--propagation", "private", "sh"]);
        c
    } else {
        Command::new("sh")
    };
    command
        .args(["-c", LAUNCH_SCRIPT, "sh"])
        .arg(if private { "private" } else { "shared" })
        .arg(pcscd)
        // --auto-exit: an orphan (test process killed) quits after 60 s without clients.
        .args(["--foreground", "--auto-exit", "--config"])
        .arg(&conf);
    if std::env::var_os("CCCD_PCSCD_DEBUG").is_some() {
        command.args(["--debug", "--apdu"]);
    }
    let child = command
        .stdin(Stdio::from(OwnedFd::from(listener)))
        .stdout(log)
        .stderr(log2)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", pcscd.display()))?;
    // The Command still holds our copy of the listening socket: close it, or clients would
    // queue on it forever should pcscd die.
    drop(command);

    let mut pcscd = Pcscd {
        child,
        dir,
        port,
        _turn: turn,
    };
    let deadline = Instant::now() + START_TIMEOUT;
    let wanted = pcscd.reader_name();
    loop {
        if let Ok(Some(status)) = pcscd.child.try_wait() {
            return Err(format!(
                "pcscd exited at start ({status}{}): {}",
                if status.code() == Some(97) {
                    ", could not mount a private /run/pcscd"
                } else {
                    ""
                },
                last_line(&pcscd.log())
            ));
        }
        if PcscTransport::list_readers().is_ok_and(|names| names.contains(&wanted)) {
            return Ok(pcscd);
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "reader {wanted:?} did not appear within {START_TIMEOUT:?}: {}",
                last_line(&pcscd.log())
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The socket of this process's pcscd, announced to libpcsclite once, before any PC/SC call.
fn socket_path() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("cccd-pcscd-{}", std::process::id()));
        let _ = fs::create_dir_all(&dir);
        let path = dir.join("pcscd.comm");
        // libpcsclite caches the name on first use: set it before any context exists.
        std::env::set_var("PCSCLITE_CSOCK_NAME", &path);
        path
    })
    .clone()
}

/// Whether `unshare --mount` works here (root, or a permissive container).
fn private_mounts_work() -> bool {
    static WORKS: OnceLock<bool> = OnceLock::new();
    *WORKS.get_or_init(|| {
        Command::new("unshare")
            .args(["--mount", "--propagation", "private", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A port `p` with `p + 1` also free: vpcd listens on one port per slot (two slots).
fn free_port_pair() -> Option<u16> {
    (0..50).find_map(|_| {
        let first = TcpListener::bind("0.0.0.0:0").ok()?;
        let port = first.local_addr().ok()?.port();
        let next = port.checked_add(1)?;
        TcpListener::bind(("0.0.0.0", next)).ok()?;
        Some(port)
    })
}

fn last_line(log: &str) -> String {
    log.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(no output)")
        .to_owned()
}
