//! `cccd serve` over HTTP: the verification API, the desk API with the simulator, and the
//! guards of a local service.
#![cfg(feature = "serve")]

mod serve;

use serve::{bsi_request, raw, sim_id, Server};

#[test]
fn verify_the_bsi_specimen() {
    let s = Server::start(&["--verify-only"]);
    let r = s.post_json("/api/v1/verify", &bsi_request());
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["schema"], "cccd-document/1");
    let pa = &j["verification"]["passive_authentication"];
    assert!(pa.is_object(), "{j}");
    // The specimen's CSCA is not in the store: the data is not proven authentic...
    assert_eq!(j["verification"]["data_authentic"], false);
    let codes: Vec<&str> = j["verification"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"chain_untrusted"), "{codes:?}");
    // ...but the hashes are checked (DG1's matches the SOD).
    assert_eq!(j["dg1"]["mrz"]["issuing_state"], "D");
    let health = s.get("/api/v1/health").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["mode"], "verify_only");
    // No desk in a back office.
    assert_eq!(s.get("/api/v1/readers").status, 404);
    assert_eq!(s.get("/").status, 404);
}

#[test]
fn bad_requests_get_typed_errors() {
    let s = Server::start(&["--verify-only", "--max-body", "4096"]);
    let cases: &[(&str, u16, &str)] = &[
        ("{", 400, ""),
        ("[]", 400, ""),
        (r#"{"files": {"SOD": "***"}}"#, 400, ""),
        (r#"{"files": {"DG1": "AAAA"}}"#, 400, ""),
        (r#"{"files": {"SOD": "AAAA"}, "extra": 1}"#, 400, ""),
        (
            r#"{"files": {"SOD": "AAAA"}, "trust": ["/etc/passwd"]}"#,
            400,
            "bad_request",
        ),
    ];
    for (body, status, code) in cases {
        let r = s.post_json("/api/v1/verify", body);
        assert_eq!(r.status, *status, "{body}: {}", r.text());
        let j = r.json();
        assert!(j["error"]["code"].is_string(), "{body}: {j}");
        if !code.is_empty() {
            assert_eq!(j["error"]["code"], *code);
        }
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    // Above the body limit: 413, still JSON.
    let big = format!(r#"{{"files": {{"SOD": "{}"}}}}"#, "A".repeat(8192));
    let r = s.post_json("/api/v1/verify", &big);
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "payload_too_large");
    // Not JSON at all.
    let r = s.request(
        "POST",
        "/api/v1/verify",
        &[("Content-Type", "text/plain")],
        Some(b"x"),
    );
    assert_eq!(r.status, 415);
    assert_eq!(s.get("/api/v1/verify").status, 405);
    assert_eq!(s.get("/nowhere").json()["error"]["code"], "not_found");
    // Still up after all of it.
    assert_eq!(s.get("/api/v1/health").status, 200);
}

#[test]
fn other_origins_and_rebound_hosts_are_refused() {
    let s = Server::start(&["--verify-only", "--allow-origin", "https://his.example"]);
    let evil = s.request(
        "POST",
        "/api/v1/verify",
        &[
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/json"),
        ],
        Some(bsi_request().as_bytes()),
    );
    assert_eq!(evil.status, 403, "{}", evil.text());
    assert_eq!(evil.json()["error"]["code"], "forbidden_origin");
    assert!(evil.header("access-control-allow-origin").is_none());
    // A preflight from that origin is refused too.
    let pre = s.request(
        "OPTIONS",
        "/api/v1/verify",
        &[
            ("Origin", "http://evil.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(pre.status, 403);
    // The allowed origin gets CORS.
    let ok = s.request(
        "GET",
        "/api/v1/health",
        &[("Origin", "https://his.example")],
        None,
    );
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://his.example")
    );
    // The service's own page.
    let own = format!("http://{}", s.host());
    assert_eq!(
        s.request("GET", "/api/v1/health", &[("Origin", &own)], None)
            .status,
        200
    );
    // A cross-site <img> or navigation without Origin.
    let img = s.request(
        "GET",
        "/api/v1/health",
        &[("Sec-Fetch-Site", "cross-site")],
        None,
    );
    assert_eq!(img.status, 403);
    // DNS rebinding: the browser connects to 127.0.0.1 but names evil.example.
    let port = s.addr.port();
    let rebound = raw(
        s.addr,
        "GET",
        "/api/v1/health",
        &[("Host", format!("evil.example:{port}"))],
        None,
    );
    assert_eq!(rebound.status, 403);
    assert_eq!(rebound.json()["error"]["code"], "forbidden_host");
    let local = raw(
        s.addr,
        "GET",
        "/api/v1/health",
        &[("Host", format!("localhost:{port}"))],
        None,
    );
    assert_eq!(local.status, 200);
    // Security headers on every answer.
    assert_eq!(local.header("cache-control"), Some("no-store"));
    assert_eq!(local.header("x-frame-options"), Some("DENY"));
}

#[test]
fn desk_reads_the_simulated_card() {
    let id = sim_id(1);
    let s = Server::start(&["--sim"]);
    let readers = s.get("/api/v1/readers").json();
    assert_eq!(readers["readers"][0]["card_present"], true);
    // Nothing read yet.
    assert_eq!(s.get("/api/v1/result").status, 404);
    assert_eq!(s.get("/api/v1/face").status, 404);

    let r = s.post_json("/api/v1/read", &format!(r#"{{"id_number": "{id}"}}"#));
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["dg13"]["id_number"], id.as_str());
    let name = j["dg13"]["full_name"].as_str().unwrap();
    assert!(!name.is_ascii(), "a Vietnamese name has diacritics: {name}");
    assert_eq!(j["verification"]["genuine"], true, "{}", j["verification"]);
    let face = s.get("/api/v1/face");
    assert_eq!(face.status, 200);
    assert!(face.body.starts_with(&[0xFF, 0xD8]) || face.body.starts_with(b"\x89PNG"));
    assert_eq!(
        s.get("/api/v1/result").json()["dg13"]["id_number"],
        id.as_str()
    );

    // The metrics count it without personal data.
    let metrics = s.get("/metrics").text();
    assert!(
        metrics.contains("cccd_reads_total{outcome=\"genuine\"} 1"),
        "{metrics}"
    );
    assert!(!metrics.contains(&id));
    assert!(!metrics.contains(name));

    // The card leaves: the result goes with it.
    let out = s.post_json("/api/v1/sim/card", r#"{"present": false}"#);
    assert_eq!(out.status, 204, "{}", out.text());
    assert_eq!(s.get("/api/v1/result").status, 404);
    assert_eq!(s.get("/api/v1/face").status, 404);
    let none = s.post_json("/api/v1/read", &format!(r#"{{"id_number": "{id}"}}"#));
    assert_eq!(none.status, 409, "{}", none.text());
    assert_eq!(none.json()["error"]["code"], "no_card");
    assert_eq!(
        s.post_json("/api/v1/sim/card", r#"{"present": true}"#)
            .status,
        204
    );

    // A wrong ID: the card refuses the key; the key is never echoed nor logged.
    let wrong = "001099012345";
    assert_ne!(wrong, id);
    let r = s.post_json("/api/v1/read", &format!(r#"{{"id_number": "{wrong}"}}"#));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "wrong_access_key");
    assert!(!r.text().contains(wrong));
    assert!(!r.text().contains(&wrong[6..]));
    // Clear.
    assert_eq!(
        s.post_json("/api/v1/read", &format!(r#"{{"id_number": "{id}"}}"#))
            .status,
        200
    );
    assert_eq!(s.request("POST", "/api/v1/clear", &[], None).status, 204);
    assert_eq!(s.get("/api/v1/result").status, 404);
    let log = s.log();
    assert!(
        !log.contains(&id) && !log.contains(wrong) && !log.contains(name),
        "{log}"
    );
}

#[test]
fn the_clone_is_not_genuine() {
    let id = sim_id(1);
    let s = Server::start(&["--sim", "--sim-profile", "cccd-clone"]);
    let r = s.post_json("/api/v1/read", &format!(r#"{{"id_number": "{id}"}}"#));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = &r.json()["verification"];
    assert_eq!(v["genuine"], false);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"chip_authentication_failed"), "{codes:?}");
}

#[test]
fn events_report_the_card_leaving() {
    use std::io::{Read, Write};
    let s = Server::start(&["--sim"]);
    let mut sse = std::net::TcpStream::connect(s.addr).unwrap();
    sse.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        sse,
        "GET /api/v1/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        s.host()
    )
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("event: hello") {
        let n = sse.read(&mut buf).unwrap();
        assert!(n > 0, "events closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert_eq!(
        s.post_json("/api/v1/sim/card", r#"{"present": false}"#)
            .status,
        204
    );
    while !seen.contains("card_removed") {
        let n = sse.read(&mut buf).unwrap();
        assert!(n > 0, "events closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("event: card"), "{seen}");
    assert!(seen.contains("\"removed\""), "{seen}");
}

#[test]
fn sighup_reloads_the_trust_store() {
    let s = Server::start(&["--verify-only"]);
    let before = s.get("/api/v1/health").json();
    assert_eq!(before["trust"]["reloads"], 0);
    s.signal("HUP");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let h = s.get("/api/v1/health").json();
        if h["trust"]["reloads"] == 1 {
            assert_eq!(h["trust"]["certificates"], before["trust"]["certificates"]);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no reload: {}",
            s.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(s
        .get("/metrics")
        .text()
        .contains("cccd_trust_reloads_total{outcome=\"ok\"} 1"));
}
