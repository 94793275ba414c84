#!/usr/bin/env python3
"""Renders docs/conformance.md from docs/conformance/catalogue.json (stdlib only).

Draft of the conformance report: the next phase replaces this with a Rust test that also
fails when a row and its test disagree.
"""
import json
import pathlib
from collections import Counter

here = pathlib.Path(__file__).resolve().parent
cat = json.loads((here / "catalogue.json").read_text())
cases = cat["cases"]
out = []
w = out.append
w("# Conformance: BSI TR-03105 Part 5.1 v1.5 (inspection systems)")
w("")
w("Generated from `docs/conformance/catalogue.json` by `docs/conformance/render.py`; do not edit")
w("by hand. Source: " + cat["source"] + ".")
w("")
w("The test chips come from `cccd::sim::conformance::case(ID)` (simulated CCCD, the simulator's")
w("own test PKI); the tests are `tests/conformance_*.rs`, one `#[test]` per ID. Mapping: " + cat["mapping"] + ".")
w("")
w("Moved cases: " + cat["moved_cases"] + ".")
w("")
w("## Counts")
w("")
statuses = ["passing", "not passing", "built, no test", "definition not found", "not built", "not applicable"]
suites = sorted({c["suite"] for c in cases})
w("| suite | " + " | ".join(statuses) + " | total |")
w("|---" * (len(statuses) + 2) + "|")
tot = Counter()
for s in suites:
    cnt = Counter(c["status"] for c in cases if c["suite"] == s)
    tot.update(cnt)
    w(f"| {s} | " + " | ".join(str(cnt.get(k, 0)) for k in statuses) + f" | {sum(cnt.values())} |")
w("| all | " + " | ".join(str(tot.get(k, 0)) for k in statuses) + f" | {sum(tot.values())} |")
w("")
w("## Cases the simulator builds")
w("")
w("| ID | what the chip has | expected | matches today | test |")
w("|---|---|---|---|---|")
for c in cases:
    if not c["simulated"]:
        continue
    res = "pass" if c["status"] == "passing" else "NOT PASSING: " + c.get("verdict_now", "")
    exp = c["expected"] if c["moved_to"] else c["expected"].split(" (")[0]
    moved = f" ({c['moved_to']}, title only)" if c["moved_to"] else ""
    test = f"`{c['test']}`" if c["test"] else "-"
    w(f"| {c['id']}{moved} | {c['title']}: {c['test_data']} | {exp} | {res} | {test} |")
w("")
w("## Debatable expectations (decision: the plan's expectation is kept)")
w("")
for c in cases:
    if c.get("debatable"):
        w(f"- {c['id']}: {c['debatable']}.")
w("")
w("## Moved to ICAO-P4, definition not found (title only, not built)")
w("")
moved = [c for c in cases if c["status"] == "definition not found"]
w(", ".join(f"{c['id']} ({c['moved_to'].replace('ICAO-P4 ', '')})" for c in moved) + ".")
w("")
w("## Not applicable")
w("")
for c in cases:
    if c["status"] == "not applicable":
        w(f"- {c['id']} {c['title']}: {c['reason']}.")
w("")
(here.parent / "conformance.md").write_text("\n".join(out))
