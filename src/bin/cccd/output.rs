//! What the commands print: JSON that follows `schema/cccd-document.schema.json` (its version in
//! the `schema` field), and a summary for people that uses `Display` only.

use cccd::document::{Document, FindingKind, Verification};
use cccd::reader::PhaseStats;
use cccd::verify::{CardSecurityReport, PassiveAuthReport};
use serde::Serialize;

/// The schema version of `read --json` and `verify --json`: the `$id`'s last segment of
/// `schema/cccd-document.schema.json`. Raised when a field changes meaning or disappears.
pub const SCHEMA: &str = "cccd-document/1";

/// The JSON of `read --json`, `verify --json` and `read --out`'s `document.json`.
#[derive(Serialize)]
pub struct Output<'a> {
    schema: &'static str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    document: Option<&'a Document>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification: Option<&'a Verification>,
    /// A lone SOD's passive authentication (`verify --sod`).
    #[serde(skip_serializing_if = "Option::is_none")]
    passive_authentication: Option<&'a PassiveAuthReport>,
    /// A lone EF.CardSecurity's verification (`verify --card-security`).
    #[serde(skip_serializing_if = "Option::is_none")]
    card_security: Option<&'a CardSecurityReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<Stats>,
    /// The directory of a dump in a batch (`verify DIR DIR...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// Why a dump of a batch could not be verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl<'a> Output<'a> {
    pub fn document(document: &'a Document, verification: Option<&'a Verification>) -> Self {
        Self {
            schema: SCHEMA,
            document: Some(document),
            verification,
            passive_authentication: None,
            card_security: None,
            stats: None,
            source: None,
            error: None,
        }
    }

    pub fn lone_sod(report: &'a PassiveAuthReport) -> Self {
        Self {
            schema: SCHEMA,
            document: None,
            verification: None,
            passive_authentication: Some(report),
            card_security: None,
            stats: None,
            source: None,
            error: None,
        }
    }

    pub fn card_security(report: &'a CardSecurityReport) -> Self {
        Self {
            schema: SCHEMA,
            document: None,
            verification: None,
            passive_authentication: None,
            card_security: Some(report),
            stats: None,
            source: None,
            error: None,
        }
    }

    /// A dump of a batch that could not be verified: its directory and why.
    pub fn error(source: &'a str, error: &'a str) -> Self {
        Self {
            schema: SCHEMA,
            document: None,
            verification: None,
            passive_authentication: None,
            card_security: None,
            stats: None,
            source: Some(source),
            error: Some(error),
        }
    }

    /// The dump's directory, for a line of a batch.
    pub fn with_source(mut self, source: &'a str) -> Self {
        self.source = Some(source);
        self
    }

    /// One line of JSON (a batch prints one per dump).
    pub fn to_line(&self) -> Result<String, crate::Failure> {
        Ok(serde_json::to_string(self)?)
    }

    pub fn with_stats(mut self, stats: Option<Stats>) -> Self {
        self.stats = stats;
        self
    }

    pub fn print(&self) -> Result<(), crate::Failure> {
        out!("{}", serde_json::to_string_pretty(self)?);
        Ok(())
    }
}

/// APDUs, bytes and host time per phase of a read.
#[derive(Serialize, Clone)]
pub struct Stats {
    phases: Vec<Phase>,
    total: Phase,
    resumes: usize,
}

#[derive(Serialize, Clone)]
struct Phase {
    name: String,
    apdus: usize,
    bytes_sent: usize,
    bytes_received: usize,
    host_ms: f64,
}

impl Stats {
    pub fn new(phases: &[PhaseStats], resumes: usize) -> Self {
        let phase = |p: &PhaseStats| Phase {
            name: p.name.clone(),
            apdus: p.apdus,
            bytes_sent: p.bytes_sent,
            bytes_received: p.bytes_received,
            host_ms: p.time.as_secs_f64() * 1e3,
        };
        let mut total = Phase {
            name: "total".into(),
            apdus: 0,
            bytes_sent: 0,
            bytes_received: 0,
            host_ms: 0.0,
        };
        for p in phases {
            total.apdus += p.apdus;
            total.bytes_sent += p.bytes_sent;
            total.bytes_received += p.bytes_received;
            total.host_ms += p.time.as_secs_f64() * 1e3;
        }
        Self {
            phases: phases.iter().map(phase).collect(),
            total,
            resumes,
        }
    }

    /// The table on stderr.
    pub fn print(&self) {
        eprintln!(
            "{:<24} {:>6} {:>9} {:>9} {:>10}",
            "phase", "APDUs", "sent", "received", "host ms"
        );
        for p in self.phases.iter().chain(std::iter::once(&self.total)) {
            eprintln!(
                "{:<24} {:>6} {:>9} {:>9} {:>10.1}",
                p.name, p.apdus, p.bytes_sent, p.bytes_received, p.host_ms
            );
        }
        eprintln!("(re-opened {} times)", self.resumes);
    }
}

/// The card holder and the files, for people.
pub fn print_document(doc: &Document) {
    out!("Access control:       {}", doc.access);
    if let Some(d) = &doc.dg13 {
        let show = |label: &str, v: &Option<String>| {
            if let Some(v) = v {
                out!("{label:<22}{v}");
            }
        };
        show("ID number:", &d.id_number);
        show("Full name:", &d.full_name);
        show("Date of birth:", &d.date_of_birth);
        show("Sex:", &d.sex);
        show("Nationality:", &d.nationality);
        show("Ethnicity:", &d.ethnicity);
        show("Religion:", &d.religion);
        show("Place of origin:", &d.place_of_origin);
        show("Place of residence:", &d.place_of_residence);
        show("Identifying marks:", &d.identifying_marks);
        show("Date of issue:", &d.date_of_issue);
        show("Date of expiry:", &d.date_of_expiry);
        show("Father:", &d.father_name);
        show("Mother:", &d.mother_name);
        show("Spouse:", &d.spouse_name);
        show("Old ID number:", &d.old_id_number);
    } else if let Some(d) = &doc.dg1 {
        out!("Document number:      {}", d.mrz.document_number);
        out!(
            "Name:                 {} {}",
            d.mrz.primary_identifier,
            d.mrz.secondary_identifier
        );
    }
    out!("Files:");
    for rec in doc.files() {
        match &rec.raw {
            Some(raw) => out!(
                "  {:<12} {}, {} bytes",
                rec.file.name(),
                rec.status,
                raw.len()
            ),
            None => out!("  {:<12} {}", rec.file.name(), rec.status),
        }
    }
    for f in &doc.parse_failures {
        out!("  {f}");
    }
    out!(
        "Chip authentication (ran):   {}",
        doc.chip_authentication_run
    );
    out!(
        "Active authentication (ran): {}",
        doc.active_authentication_run
    );
}

/// Passive authentication, for people.
pub fn print_passive(r: &PassiveAuthReport) {
    out!("Passive authentication:");
    out!("  SOD signature:        {}", r.sod_signature);
    out!("  DSC chain:            {}", r.chain);
    if let Some(s) = &r.dsc_subject {
        out!("  DSC:                  {s}");
    }
    if let Some(s) = &r.csca_subject {
        out!("  CSCA:                 {s}");
    }
    out!("  DSC valid at signing: {}", r.validity_at_signing);
    out!("  DSC valid now:        {}", r.validity_now);
    out!("  Country binding:      {}", r.country);
    for (n, v) in &r.data_groups {
        let file = format!("DG{n}");
        out!("  {file:<5} hash:           {v}");
    }
    for w in &r.warnings {
        out!("  warning: {w}");
    }
}

pub fn print_card_security(r: &CardSecurityReport) {
    out!("EF.CardSecurity:");
    out!("  Signature:            {}", r.signature);
    out!("  DSC chain:            {}", r.chain);
    if let Some(s) = &r.dsc_subject {
        out!("  Signer:               {s}");
    }
    if let Some(s) = &r.csca_subject {
        out!("  CSCA:                 {s}");
    }
    out!("  Signer valid at signing: {}", r.validity_at_signing);
    out!("  Signer valid now:     {}", r.validity_now);
    if let Some(infos) = &r.security_infos {
        for i in &infos.infos {
            out!("  SecurityInfo:         {}", i.protocol());
        }
    }
    for w in &r.warnings {
        out!("  warning: {w}");
    }
    let verdict = if r.is_valid() { "VALID" } else { "NOT VALID" };
    out!("  Verdict:              {verdict}");
}

/// The verdict, for people: what each check proves, every finding, and the conclusion.
pub fn print_verification(v: &Verification, chip_checked: bool) {
    print_passive(&v.passive_authentication);
    out!("Chip authentication:  {}", v.chip_authentication);
    out!("Active authentication: {}", v.active_authentication);
    for f in &v.findings {
        let tag = match f.kind() {
            FindingKind::Info => "note",
            _ => "FINDING",
        };
        out!("  {tag} [{}]: {f}", f.code());
    }
    let verdict = if v.genuine {
        "GENUINE"
    } else if v.data_authentic && !chip_checked {
        "DATA AUTHENTIC (passive authentication); the chip was not checked"
    } else {
        "NOT PROVEN GENUINE"
    };
    out!("DOCUMENT: {verdict}");
}

/// The one-line reason of exit code 4: the blocking findings.
pub fn not_genuine_message(v: &Verification) -> String {
    let reasons: Vec<String> = v
        .blocking()
        .map(|f| format!("{f} [{}]", f.code()))
        .collect();
    reasons.join("; ")
}
