//! What the commands print: JSON that follows `schema/cccd-document.schema.json` (its version in
//! the `schema` field), and a summary for people that uses `Display` only.

use cccd::document::{Document, FindingKind, Verification};
use cccd::verify::{CardSecurityReport, PassiveAuthReport};

/// The JSON of every command: the library's [`cccd::report::Report`], so the CLI, the C ABI,
/// the bindings and the service print the same document.
pub use cccd::report::{Report as Output, Stats};

/// Printing a report on stdout.
pub trait Print {
    fn print(&self) -> Result<(), crate::Failure>;
}

impl Print for Output<'_> {
    fn print(&self) -> Result<(), crate::Failure> {
        out!("{}", self.to_json());
        Ok(())
    }
}

/// The statistics table on stderr.
pub trait PrintStats {
    fn print(&self);
}

impl PrintStats for Stats {
    fn print(&self) {
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
