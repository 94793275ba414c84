//! Country binding: the issuing state DG1 claims (an ICAO three-letter code) must be the country
//! of the Document Signer and of the CSCA that vouch for it (their two-letter `C=`), and, when
//! the caller expects one, that state. Without it a trust store holding several countries'
//! CSCAs accepts a "Vietnamese" document signed by any of them.
//!
//! ICAO 9303-3 §5 uses ISO 3166-1 alpha-3 codes plus a few of its own; the alpha-3 to alpha-2
//! table comes from the `isocountry` crate, ICAO's own codes from [`ICAO_CODES`].

/// ICAO codes outside ISO 3166-1 alpha-3 with the `C=` their certificates carry (ICAO 9303-3
/// §5: `D` for Germany, the British nationality codes).
pub const ICAO_CODES: [(&str, &str); 6] = [
    ("D", "DE"),
    ("GBD", "GB"),
    ("GBN", "GB"),
    ("GBO", "GB"),
    ("GBP", "GB"),
    ("GBS", "GB"),
];

/// The two-letter country (`C=` of a certificate) of an ICAO issuing-state code; `None` for
/// codes of organisations (`UNO`, `XOM`, ...) and unknown codes.
///
/// ```
/// use cccd::verify::country::alpha2_of;
/// assert_eq!(alpha2_of("VNM"), Some("VN"));
/// assert_eq!(alpha2_of("D"), Some("DE"));
/// assert_eq!(alpha2_of("UTO"), None); // ICAO's fictional Utopia
/// ```
pub fn alpha2_of(icao: &str) -> Option<&'static str> {
    ICAO_CODES
        .iter()
        .find(|(code, _)| *code == icao)
        .map(|(_, c)| *c)
        .or_else(|| {
            isocountry::CountryCode::for_alpha3(icao)
                .ok()
                .map(|c| c.alpha2())
        })
}

/// Whether the document's countries agree.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CountryVerdict {
    /// DG1's issuing state (or the expected one) is the DSC's and the CSCA's country.
    Consistent,
    /// They disagree.
    Mismatch {
        /// How.
        mismatch: CountryMismatch,
    },
    /// Nothing to compare: no DG1 and no expected state, or no certificate found.
    NotChecked,
}

/// How the countries disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CountryMismatch {
    /// DG1 names another issuing state than the caller expects.
    UnexpectedIssuingState {
        /// What the caller expects (`VNM` for a CCCD).
        expected: String,
        /// What DG1 says.
        issuing_state: String,
    },
    /// An issuing state with no two-letter country to bind it to (an organisation, or an
    /// unknown code): refused rather than left unbound.
    UnknownIssuingState {
        /// The code.
        issuing_state: String,
    },
    /// The Document Signer belongs to another country (or names none).
    DscCountry {
        /// The issuing state.
        issuing_state: String,
        /// The DSC's `C=`.
        dsc_country: Option<String>,
    },
    /// The CSCA belongs to another country (or names none).
    CscaCountry {
        /// The issuing state.
        issuing_state: String,
        /// The CSCA's `C=`.
        csca_country: Option<String>,
    },
}

impl core::fmt::Display for CountryMismatch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let or_none = |c: &Option<String>| c.clone().unwrap_or_else(|| "none".into());
        match self {
            Self::UnexpectedIssuingState {
                expected,
                issuing_state,
            } => write!(f, "issuing state {issuing_state}, expected {expected}"),
            Self::UnknownIssuingState { issuing_state } => {
                write!(f, "issuing state {issuing_state} has no country to bind")
            }
            Self::DscCountry {
                issuing_state,
                dsc_country,
            } => write!(
                f,
                "issuing state {issuing_state} but the Document Signer's country is {}",
                or_none(dsc_country)
            ),
            Self::CscaCountry {
                issuing_state,
                csca_country,
            } => write!(
                f,
                "issuing state {issuing_state} but the CSCA's country is {}",
                or_none(csca_country)
            ),
        }
    }
}

impl core::fmt::Display for CountryVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Consistent => f.write_str("consistent"),
            Self::Mismatch { mismatch } => write!(f, "MISMATCH: {mismatch}"),
            Self::NotChecked => f.write_str("not checked"),
        }
    }
}

/// A certificate that vouches for the document: `None` when none was found, else its `C=`.
pub(crate) type Signer<'a> = Option<Option<&'a str>>;

/// Binds the issuing state to the certificates' countries.
pub(crate) fn bind(
    expected: Option<&str>,
    issuing_state: Option<&str>,
    dsc: Signer<'_>,
    csca: Signer<'_>,
) -> CountryVerdict {
    let mismatch = |mismatch| CountryVerdict::Mismatch { mismatch };
    if let (Some(expected), Some(state)) = (expected, issuing_state) {
        if !expected.eq_ignore_ascii_case(state) {
            return mismatch(CountryMismatch::UnexpectedIssuingState {
                expected: expected.to_string(),
                issuing_state: state.to_string(),
            });
        }
    }
    let Some(state) = issuing_state.or(expected) else {
        return CountryVerdict::NotChecked;
    };
    let Some(alpha2) = alpha2_of(&state.to_ascii_uppercase()) else {
        return mismatch(CountryMismatch::UnknownIssuingState {
            issuing_state: state.to_string(),
        });
    };
    let differs = |c: Option<&str>| c.is_none_or(|c| !c.eq_ignore_ascii_case(alpha2));
    if let Some(dsc) = dsc {
        if differs(dsc) {
            return mismatch(CountryMismatch::DscCountry {
                issuing_state: state.to_string(),
                dsc_country: dsc.map(str::to_string),
            });
        }
    }
    if let Some(csca) = csca {
        if differs(csca) {
            return mismatch(CountryMismatch::CscaCountry {
                issuing_state: state.to_string(),
                csca_country: csca.map(str::to_string),
            });
        }
    }
    if dsc.is_none() && csca.is_none() {
        CountryVerdict::NotChecked
    } else {
        CountryVerdict::Consistent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding() {
        let vn = Some(Some("VN"));
        assert_eq!(
            bind(Some("VNM"), Some("VNM"), vn, vn),
            CountryVerdict::Consistent
        );
        assert_eq!(bind(None, None, vn, vn), CountryVerdict::NotChecked);
        // No DG1: the expected state binds the certificates.
        assert_eq!(bind(Some("VNM"), None, vn, vn), CountryVerdict::Consistent);
        assert!(matches!(
            bind(Some("VNM"), Some("NLD"), Some(Some("NL")), Some(Some("NL"))),
            CountryVerdict::Mismatch {
                mismatch: CountryMismatch::UnexpectedIssuingState { .. }
            }
        ));
        assert!(matches!(
            bind(None, Some("VNM"), Some(Some("NL")), vn),
            CountryVerdict::Mismatch {
                mismatch: CountryMismatch::DscCountry { .. }
            }
        ));
        assert!(matches!(
            bind(None, Some("VNM"), vn, Some(Some("NL"))),
            CountryVerdict::Mismatch {
                mismatch: CountryMismatch::CscaCountry { .. }
            }
        ));
        assert!(matches!(
            bind(None, Some("VNM"), Some(None), vn),
            CountryVerdict::Mismatch {
                mismatch: CountryMismatch::DscCountry {
                    dsc_country: None,
                    ..
                }
            }
        ));
        assert!(matches!(
            bind(None, Some("UNO"), vn, vn),
            CountryVerdict::Mismatch {
                mismatch: CountryMismatch::UnknownIssuingState { .. }
            }
        ));
        assert_eq!(
            bind(None, Some("D"), Some(Some("DE")), Some(Some("de"))),
            CountryVerdict::Consistent
        );
        // One certificate found is enough to bind (the other's absence is the chain's
        // verdict, not the country's).
        assert_eq!(
            bind(None, Some("VNM"), vn, None),
            CountryVerdict::Consistent
        );
        assert_eq!(
            bind(None, Some("VNM"), None, vn),
            CountryVerdict::Consistent
        );
        assert_eq!(
            bind(None, Some("VNM"), None, None),
            CountryVerdict::NotChecked
        );
    }

    /// Every verdict and mismatch prints something of its own, and a mismatch names the
    /// codes that disagree (what a desk clerk reads in `cccd verify`'s text output).
    #[test]
    fn every_verdict_prints_what_disagrees() {
        let mismatches = [
            CountryMismatch::UnexpectedIssuingState {
                expected: "VNM".into(),
                issuing_state: "NLD".into(),
            },
            CountryMismatch::UnknownIssuingState {
                issuing_state: "UNO".into(),
            },
            CountryMismatch::DscCountry {
                issuing_state: "VNM".into(),
                dsc_country: Some("NL".into()),
            },
            CountryMismatch::CscaCountry {
                issuing_state: "VNM".into(),
                csca_country: Some("FR".into()),
            },
            CountryMismatch::CscaCountry {
                issuing_state: "VNM".into(),
                csca_country: None,
            },
        ];
        let codes: [&[&str]; 5] = [
            &["VNM", "NLD"],
            &["UNO"],
            &["VNM", "NL"],
            &["VNM", "FR"],
            &["VNM"],
        ];
        let mut printed = Vec::new();
        for (m, codes) in mismatches.iter().zip(codes) {
            let text = m.to_string();
            for code in codes {
                assert!(text.contains(code), "{text:?} lacks {code}");
            }
            let verdict = CountryVerdict::Mismatch {
                mismatch: m.clone(),
            }
            .to_string();
            assert!(verdict.contains(&text), "{verdict:?}");
            printed.push(verdict);
        }
        printed.push(CountryVerdict::Consistent.to_string());
        printed.push(CountryVerdict::NotChecked.to_string());
        for (i, a) in printed.iter().enumerate() {
            assert!(!a.is_empty());
            assert!(printed[i + 1..].iter().all(|b| b != a), "{a:?} twice");
        }
    }
}
