//! The conformance report (docs/conformance.md) is generated here from
//! docs/conformance/catalogue.json and the conformance tests (tests/conformance_*.rs), and this
//! test fails when the report, the catalogue and the tests disagree: a case marked passing
//! without its `#[test]`, a conformance test no catalogue row names, an expectation the
//! simulator's chip does not carry, a debatable case without a decision, a report not
//! regenerated. The conformance tests run in the same `cargo test`, so "passing" in a green
//! run is a fact, not a claim.
//!
//! Regenerate the report: `CONFORMANCE_BLESS=1 cargo test --all-features --test
//! conformance_report`.
#![cfg(feature = "sim")]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cccd::sim::conformance::{case, Expected, IDS};
use serde_json::Value;

const CATALOGUE: &str = "docs/conformance/catalogue.json";
const REPORT: &str = "docs/conformance.md";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One catalogue row, the fields the report and the checks use.
struct Case {
    id: String,
    suite: String,
    title: String,
    test_data: String,
    expected: String,
    applicable: bool,
    reason: String,
    moved_to: Option<String>,
    simulated: bool,
    test: Option<String>,
    status: String,
    debatable: Option<String>,
    decision: Option<String>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn catalogue() -> (Value, Vec<Case>) {
    let raw = std::fs::read_to_string(root().join(CATALOGUE)).expect("catalogue readable");
    let json: Value = serde_json::from_str(&raw).expect("catalogue is JSON");
    let cases = json["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(|c| Case {
            id: text(c, "id"),
            suite: text(c, "suite"),
            title: text(c, "title"),
            test_data: text(c, "test_data"),
            expected: text(c, "expected"),
            applicable: c["applicable"].as_bool().expect("applicable is a bool"),
            reason: text(c, "reason"),
            moved_to: opt_text(c, "moved_to"),
            simulated: c["simulated"].as_bool().expect("simulated is a bool"),
            test: opt_text(c, "test"),
            status: text(c, "status"),
            debatable: opt_text(c, "debatable"),
            decision: opt_text(c, "decision"),
        })
        .collect();
    (json, cases)
}

/// Every `#[test] fn <suite>_<x>_<nn>()` of tests/conformance_*.rs, as
/// `file.rs::name` by upper-case ID; an `#[ignore]`d one is not counted.
fn conformance_tests() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let dir = root().join("tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/ readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("conformance_") && n.ends_with(".rs"))
        })
        .collect();
    files.sort();
    for path in files {
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if file == "conformance_report.rs" {
            continue;
        }
        let src = std::fs::read_to_string(&path).expect("test file readable");
        let mut attributes: Vec<&str> = Vec::new();
        for line in src.lines().map(str::trim) {
            if line.starts_with("#[") {
                attributes.push(line);
                continue;
            }
            if let Some(rest) = line.strip_prefix("fn ") {
                let name = rest.split('(').next().unwrap_or("").trim();
                let is_case = name.starts_with("lds_") || name.starts_with("iso7816_");
                let is_test = attributes.contains(&"#[test]");
                let ignored = attributes.iter().any(|a| a.starts_with("#[ignore"));
                if is_case && is_test && !ignored {
                    let previous = out.insert(name.to_uppercase(), format!("{file}::{name}"));
                    assert!(previous.is_none(), "{name} defined twice");
                }
            }
            if !line.starts_with("///") && !line.is_empty() {
                attributes.clear();
            }
        }
    }
    out
}

/// The catalogue's expectation as pass/fail ("fail (...)", or "not stated in v1.5 (moved);
/// inferred fail ..."), `None` where it states none.
fn expectation(expected: &str) -> Option<Expected> {
    let e = expected
        .split_once("inferred ")
        .map_or(expected, |(_, inferred)| inferred);
    if e.starts_with("pass") {
        Some(Expected::Pass)
    } else if e.starts_with("fail") {
        Some(Expected::Fail)
    } else {
        None
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn result(c: &Case) -> String {
    match c.status.as_str() {
        "passing" => match &c.decision {
            // "pass, against the plan: ..." -> "passing; decided: pass, against the plan"
            Some(d) => format!("passing; decided: {}", d.split(':').next().unwrap_or(d)),
            None => "passing".into(),
        },
        "not applicable" => format!("not applicable: {}", c.reason),
        "definition not found" => "not built: definition moved, text not available".into(),
        other => other.into(),
    }
}

fn render(json: &Value, cases: &[Case]) -> String {
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(w, "# Conformance: {}", text(json, "document"));
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Generated by `tests/conformance_report.rs` from `{CATALOGUE}` and the conformance \
         tests; do not edit by hand\n(regenerate: `CONFORMANCE_BLESS=1 cargo test \
         --all-features --test suite conformance_report::`). That test fails\nwhen a row \
         and the tests disagree. Source: {}.",
        text(json, "source")
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "The test chips come from `cccd::sim::conformance::case(ID)` (simulated CCCD, the \
         simulator's own\ntest PKI); the tests are `tests/conformance_*.rs`, one `#[test]` per \
         ID, each asserting the\nexpected verdict and the typed reason (an error variant or a \
         `Finding` code). Mapping: {}.",
        text(json, "mapping")
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "Moved cases: {}.", text(json, "moved_cases"));
    let _ = writeln!(w);

    let _ = writeln!(w, "## Counts");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "| suite | total | applicable | passing | not passing | not built (definition moved) \
         | not applicable | debatable (decided) |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|---|---|");
    let mut suites: Vec<&str> = cases.iter().map(|c| c.suite.as_str()).collect();
    suites.dedup();
    let suites: Vec<&str> = suites
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let row = |w: &mut String, name: &str, cs: &[&Case]| {
        let count = |f: &dyn Fn(&Case) -> bool| cs.iter().filter(|c| f(c)).count();
        let _ = writeln!(
            w,
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            cs.len(),
            count(&|c| c.applicable),
            count(&|c| c.status == "passing"),
            count(&|c| c.applicable && c.status != "passing" && c.status != "definition not found"),
            count(&|c| c.status == "definition not found"),
            count(&|c| !c.applicable),
            count(&|c| c.decision.is_some()),
        );
    };
    for s in &suites {
        let cs: Vec<&Case> = cases.iter().filter(|c| c.suite == *s).collect();
        row(w, s, &cs);
    }
    let all: Vec<&Case> = cases.iter().collect();
    row(w, "all", &all);
    let _ = writeln!(w);

    let _ = writeln!(w, "## Debatable expectations and the decisions taken");
    let _ = writeln!(w);
    for c in cases.iter().filter(|c| c.debatable.is_some()) {
        let _ = writeln!(
            w,
            "- {}: {}. Decision: {}.",
            c.id,
            c.debatable.as_deref().unwrap_or(""),
            c.decision.as_deref().unwrap_or("")
        );
    }
    let _ = writeln!(w);

    let _ = writeln!(w, "## Every test ID");
    for s in &suites {
        let _ = writeln!(w);
        let _ = writeln!(w, "### {s}");
        let _ = writeln!(w);
        let _ = writeln!(w, "| ID | what it checks | expected | result | test |");
        let _ = writeln!(w, "|---|---|---|---|---|");
        for c in cases.iter().filter(|c| c.suite == *s) {
            let moved = c
                .moved_to
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            let what = if c.test_data.is_empty() || !c.simulated {
                c.title.clone()
            } else {
                format!("{}: {}", c.title, c.test_data)
            };
            let test = c
                .test
                .as_deref()
                .map(|t| format!("`{t}`"))
                .unwrap_or_else(|| "-".into());
            let _ = writeln!(
                w,
                "| {}{} | {} | {} | {} | {} |",
                c.id,
                cell(&moved),
                cell(&what),
                cell(&c.expected),
                cell(&result(c)),
                test
            );
        }
    }
    o
}

#[test]
fn the_report_the_catalogue_and_the_tests_agree() {
    let (json, cases) = catalogue();
    let tests = conformance_tests();
    let mut problems: Vec<String> = Vec::new();

    let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), cases.len(), "duplicate IDs in the catalogue");
    for (id, test) in &tests {
        if !ids.contains(id.as_str()) {
            problems.push(format!("{test}: no catalogue row for {id}"));
        }
    }
    let simulated: BTreeSet<&str> = IDS.iter().copied().collect();
    for c in &cases {
        let found = tests.get(&c.id);
        match (c.status.as_str(), &c.test, found) {
            ("passing", Some(named), Some(found)) if named == found => {}
            ("passing", named, found) => problems.push(format!(
                "{}: passing, names test {named:?}, but the tests have {found:?}",
                c.id
            )),
            (status, _, Some(found)) => problems.push(format!(
                "{}: status {status:?} although {found} tests it",
                c.id
            )),
            (_, Some(named), None) => problems.push(format!(
                "{}: names test {named}, which does not exist",
                c.id
            )),
            _ => {}
        }
        if c.applicable == (c.status == "not applicable") {
            problems.push(format!("{}: applicable vs status {:?}", c.id, c.status));
        }
        if !c.applicable && c.reason.trim().is_empty() {
            problems.push(format!("{}: not applicable without a reason", c.id));
        }
        if c.debatable.is_some() != c.decision.is_some() {
            problems.push(format!("{}: debatable and decision go together", c.id));
        }
        if c.simulated != simulated.contains(c.id.as_str()) {
            problems.push(format!(
                "{}: simulated {} but the simulator's IDS disagree",
                c.id, c.simulated
            ));
        }
    }
    // The plan's expectation in the catalogue is the one the simulator's chip carries (the
    // tests assert against that one, or record a decision against it).
    for c in cases.iter().filter(|c| c.simulated) {
        let built = case(&c.id).unwrap_or_else(|e| panic!("{}: {e}", c.id));
        if expectation(&c.expected) != Some(built.expected) {
            problems.push(format!(
                "{}: catalogue expects {:?}, the chip {:?}",
                c.id, c.expected, built.expected
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let rendered = render(&json, &cases);
    let path = root().join(REPORT);
    if std::env::var_os("CONFORMANCE_BLESS").is_some() {
        std::fs::write(&path, &rendered).expect("report writable");
    }
    let on_disk = std::fs::read_to_string(Path::new(&path)).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "{REPORT} is out of date: run CONFORMANCE_BLESS=1 cargo test --all-features --test \
         conformance_report"
    );
}

/// The checks above catch what they claim: a passing row whose test is gone, and a test no row
/// names.
#[test]
fn a_row_without_its_test_is_caught() {
    let tests = conformance_tests();
    assert!(
        tests.len() >= 100,
        "{} conformance tests found",
        tests.len()
    );
    assert_eq!(
        tests.get("LDS_H_01").map(String::as_str),
        Some("conformance_lds_h.rs::lds_h_01")
    );
    assert!(!tests.contains_key("LDS_H_99"));
    assert_eq!(
        expectation("fail (\"inspection procedure failed\")"),
        Some(Expected::Fail)
    );
    assert_eq!(
        expectation("not stated in v1.5 (moved); inferred pass"),
        Some(Expected::Pass)
    );
    assert_eq!(expectation("-"), None);
}
