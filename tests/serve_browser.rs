//! The check-in page in a real browser: headless Chromium driven by Playwright
//! (`tests/browser/checkin.cjs`), against `cccd serve --sim` and against the simulator behind
//! a private pcscd with the vpcd driver (`cccd sim serve --vpcd` puts the card in).
//!
//! Ignored by a plain `cargo test`: it needs Node.js, `playwright-core` and Chromium, which
//! `.ci/serve.sh` installs before it runs `cargo test --features serve --test serve_browser --
//! --ignored`. `CCCD_NODE_MODULES` names the `node_modules` directory (default
//! `target/browser-node/node_modules`). Screenshots go to `target/serve-screenshots/`.
#![cfg(feature = "serve")]

#[path = "common/pcscd.rs"]
mod pcscd;
mod serve;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serve::{sim_id, Server};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn persona_name(seed: u64) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["sim", "show", "--json", "--seed", &seed.to_string()])
        .output()
        .expect("cccd sim show");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["full_name"].as_str().expect("full_name").to_string()
}

/// A wrong ID number for `seed`: another persona's.
fn wrong_id(seed: u64) -> String {
    let wrong = sim_id(seed + 1);
    assert_ne!(wrong, sim_id(seed));
    wrong
}

/// Runs the page's scenarios; `card(present)` pulls the card out or puts it back when the
/// script asks.
fn browse(url: &str, tag: &str, scenarios: &[&str], mut card: impl FnMut(bool)) {
    let shots = root().join("target/serve-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let modules = std::env::var("CCCD_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target/browser-node/node_modules"));
    assert!(
        modules.join("playwright-core").is_dir(),
        "playwright-core not in {} (run .ci/serve.sh)",
        modules.display()
    );
    let mut node: Child = Command::new("node")
        .arg(root().join("tests/browser/checkin.cjs"))
        .arg(url)
        .args(scenarios)
        .env("NODE_PATH", &modules)
        .env("CCCD_ID", sim_id(1))
        .env("CCCD_WRONG_ID", wrong_id(1))
        .env("CCCD_NAME", persona_name(1))
        .env("CCCD_SHOTS", &shots)
        .env("CCCD_TAG", tag)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node (Node.js) is needed for the browser tests");
    let mut to_node = node.stdin.take().unwrap();
    let from_node = BufReader::new(node.stdout.take().unwrap());
    let mut verdict = String::new();
    for line in from_node.lines() {
        let line = line.unwrap();
        match line.trim() {
            "REMOVE" => {
                card(false);
                writeln!(to_node, "ok").unwrap();
            }
            "INSERT" => {
                card(true);
                writeln!(to_node, "ok").unwrap();
            }
            other => verdict = other.to_string(),
        }
    }
    let status = node.wait().unwrap();
    assert!(
        status.success() && verdict == "PASS",
        "browser test {tag}: {verdict}"
    );
}

#[test]
#[ignore = "needs Node.js, playwright-core and Chromium: run by .ci/serve.sh"]
fn page_with_the_simulator() {
    let s = Server::start(&["--sim"]);
    let url = format!("http://{}/", s.addr);
    browse(&url, "sim", &["genuine", "wrong"], |present| {
        let r = s.post_json("/api/v1/sim/card", &format!(r#"{{"present": {present}}}"#));
        assert_eq!(r.status, 204, "{}", r.text());
    });
    let clone = Server::start(&["--sim", "--sim-profile", "cccd-clone"]);
    let url = format!("http://{}/", clone.addr);
    browse(&url, "sim", &["clone"], |_| unreachable!());
}

/// A card in pcscd's vpcd reader: a `cccd sim serve --vpcd` process, removed by ending it.
struct VpcdCard(Child);

impl VpcdCard {
    fn insert(addr: &str, profile: &str) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_cccd"))
            .args(["sim", "serve", "--vpcd", addr, "--sim-profile", profile])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cccd sim serve");
        Self(child)
    }
}

impl Drop for VpcdCard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
#[ignore = "needs Node.js, playwright-core, Chromium and pcscd with vpcd: run by .ci/serve.sh"]
fn page_with_a_pcsc_reader() {
    let Some(pcscd) = pcscd::start("page_with_a_pcsc_reader") else {
        return;
    };
    let addr = pcscd.card_addr();
    let mut card = Some(VpcdCard::insert(&addr, "cccd"));
    assert!(
        pcscd.wait_card_state(true, Duration::from_secs(15)),
        "card not seen"
    );
    // pcscd's socket is in PCSCLITE_CSOCK_NAME, which the service inherits. The service
    // trusts the simulator's test CSCA only because it is given as --trust.
    let csca = root().join("target/serve-screenshots/sim-csca.der");
    std::fs::create_dir_all(csca.parent().unwrap()).unwrap();
    let ok = Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["sim", "csca", "--out"])
        .arg(&csca)
        .status()
        .unwrap()
        .success();
    assert!(ok, "cccd sim csca");
    let csca = csca.display().to_string();
    let reader = pcscd.reader_name();
    let s = Server::start(&["--reader", &reader, "--trust", &csca]);
    let url = format!("http://{}/", s.addr);
    browse(&url, "pcsc", &["genuine", "wrong"], |present| {
        if present {
            card = Some(VpcdCard::insert(&addr, "cccd"));
        } else {
            drop(card.take());
        }
        assert!(pcscd.wait_card_state(present, Duration::from_secs(15)));
    });
    // The clone: take the card out, put the clone in.
    drop(card.take());
    assert!(pcscd.wait_card_state(false, Duration::from_secs(15)));
    let _clone = VpcdCard::insert(&addr, "cccd-clone");
    assert!(pcscd.wait_card_state(true, Duration::from_secs(15)));
    browse(&url, "pcsc", &["clone"], |_| unreachable!());
    let log = s.log();
    assert!(
        !log.contains(&sim_id(1)),
        "the ID number reached the log: {log}"
    );
}
