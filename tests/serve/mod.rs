//! Test harness for `cccd serve`: starts the binary on a free loopback port and talks raw
//! HTTP/1.1 to it, so tests set any `Host`, `Origin` or body they need.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::Duration;

/// A running `cccd serve`; dropping it kills the process.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts `cccd serve --listen 127.0.0.1:0 ARGS` and waits for its address.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cccd"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cccd serve");
        let stderr: ChildStderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr);
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let addr = loop {
            let mut line = String::new();
            if lines.read_line(&mut line).expect("read stderr") == 0 {
                let _ = child.kill();
                panic!("cccd serve ended before listening: {}", log.lock().unwrap());
            }
            log.lock().unwrap().push_str(&line);
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let a = rest.split_whitespace().next().expect("address");
                break a.parse().expect("socket address");
            }
        };
        let sink = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        Self { child, addr, log }
    }

    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// A request with the right `Host` and the given extra headers.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        let mut all: Vec<(&str, String)> = vec![("Host", self.host())];
        all.extend(headers.iter().map(|(k, v)| (*k, (*v).to_string())));
        raw(self.addr, method, path, &all, body)
    }

    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], None)
    }

    pub fn post_json(&self, path: &str, body: &str) -> Response {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            Some(body.as_bytes()),
        )
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends a signal (SIGHUP to reload the trust store).
    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .expect("kill")
            .success();
        assert!(ok, "kill -s {name}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One answer.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// A raw HTTP/1.1 request with exactly these headers (`Connection: close` added).
pub fn raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<&[u8]>,
) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    if let Some(b) = body {
        // The server may answer (413) and close before the whole body is sent.
        let _ = s.write_all(b);
    }
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    parse(&all)
}

fn parse(all: &[u8]) -> Response {
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(all)));
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = all[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = eol + 2;
        out.extend_from_slice(&b[start..(start + size).min(b.len())]);
        b = &b[(start + size + 2).min(b.len())..];
    }
}

/// The test data shared by every worktree.
pub fn shared(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/test-data")
        .join(rel)
}

/// The BSI TR-03105-5 specimen as a verification request.
pub fn bsi_request() -> String {
    use base64ct::Encoding as _;
    let b64 = |f: &str| {
        base64ct::Base64::encode_string(
            &std::fs::read(shared(&format!("bsi-tr03105-5/{f}"))).expect("BSI file"),
        )
    };
    serde_json::json!({
        "files": {
            "COM": b64("EF_COM.bin"),
            "SOD": b64("EF_SOD.bin"),
            "DG1": b64("Datagroup1.bin"),
            "DG2": b64("Datagroup2.bin"),
            "DG3": b64("Datagroup3.bin"),
            "DG4": b64("Datagroup4.bin"),
            "DG14": b64("Datagroup14.bin"),
            "DG15": b64("Datagroup15.bin"),
        }
    })
    .to_string()
}

/// The simulated persona's ID number for `seed`.
pub fn sim_id(seed: u64) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["sim", "show", "--json", "--seed", &seed.to_string()])
        .output()
        .expect("cccd sim show");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sim show JSON");
    v["id_number"].as_str().expect("id_number").to_string()
}
