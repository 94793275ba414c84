//! Every object identifier the crate names, in one place: CMS (RFC 5652), X.509 (RFC 5280),
//! algorithms (RFC 8017, RFC 5758, RFC 3279, BSI TR-03111) and ICAO 9303 / BSI TR-03110.
//! Digest OIDs are defined beside the hash type in [`crate::crypto::hash::oid`] (the layer
//! below) and re-exported here.

use const_oid::ObjectIdentifier as Oid;

pub use crate::crypto::hash::oid::{SHA1, SHA224, SHA256, SHA384, SHA512};

/// id-signedData (RFC 5652 §5.1).
pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// id-data (RFC 5652 §4).
pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
/// id-icao-mrtd-security-ldsSecurityObject (ICAO 9303-10 §4.6.2.3).
pub const LDS_SECURITY_OBJECT: Oid = Oid::new_unwrap("2.23.136.1.1.1");
/// id-icao-cscaMasterList (ICAO 9303-12 §9).
pub const CSCA_MASTER_LIST: Oid = Oid::new_unwrap("2.23.136.1.1.2");
/// id-icao-cscaMasterListSigningKey (ICAO 9303-12 §9): the extended key usage a master-list
/// signer certificate must carry.
pub const CSCA_MASTER_LIST_SIGNING_KEY: Oid = Oid::new_unwrap("2.23.136.1.1.3");
/// id-SecurityObject of EF.CardSecurity (BSI TR-03110-3 §A.1.2.5).
pub const SECURITY_OBJECT: Oid = Oid::new_unwrap("0.4.0.127.0.7.3.2.1");
/// Legacy LDS security object content type used by early SDU (NL) SODs, as listed by
/// JMRTD's `SODFile` (`SDU_LDS_SOD_OID`).
pub const SDU_LDS_SOD: Oid = Oid::new_unwrap("1.2.528.1.1006.1.20.1");
/// contentType attribute (RFC 5652 §11.1).
pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
/// messageDigest attribute (RFC 5652 §11.2).
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
/// signingTime attribute (RFC 5652 §11.3).
pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");

/// rsaEncryption (RFC 8017 §A.1).
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// id-mgf1 (RFC 8017 §A.2.1).
pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
/// id-RSASSA-PSS (RFC 8017 §A.2.3).
pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
/// sha1WithRSAEncryption.
pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
/// sha224WithRSAEncryption.
pub const SHA224_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.14");
/// sha256WithRSAEncryption.
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption.
pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
/// sha512WithRSAEncryption.
pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");

/// id-ecPublicKey (RFC 5480 §2.1.1).
pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
/// prime-field (ANSI X9.62, RFC 3279 §2.3.5).
pub const PRIME_FIELD: Oid = Oid::new_unwrap("1.2.840.10045.1.1");
/// dhpublicnumber (ANSI X9.42, RFC 3279 §2.3.3): the DH keys of chip authentication.
pub const DH_PUBLIC_NUMBER: Oid = Oid::new_unwrap("1.2.840.10046.2.1");
/// ecdsa-with-SHA1 (RFC 3279).
pub const ECDSA_WITH_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
/// ecdsa-with-SHA224 (RFC 5758).
pub const ECDSA_WITH_SHA224: Oid = Oid::new_unwrap("1.2.840.10045.4.3.1");
/// ecdsa-with-SHA256 (RFC 5758).
pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384 (RFC 5758).
pub const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
/// ecdsa-with-SHA512 (RFC 5758).
pub const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
/// ecdsa-plain-SHA1 (BSI TR-03111 §5.2.1).
pub const ECDSA_PLAIN_SHA1: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.1");
/// ecdsa-plain-SHA224 (BSI TR-03111 §5.2.1).
pub const ECDSA_PLAIN_SHA224: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.2");
/// ecdsa-plain-SHA256 (BSI TR-03111 §5.2.1).
pub const ECDSA_PLAIN_SHA256: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.3");
/// ecdsa-plain-SHA384 (BSI TR-03111 §5.2.1).
pub const ECDSA_PLAIN_SHA384: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.4");
/// ecdsa-plain-SHA512 (BSI TR-03111 §5.2.1).
pub const ECDSA_PLAIN_SHA512: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.5");
/// id-dsa (RFC 3279 §2.3.2): a DSA public key.
pub const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
/// id-dsa-with-sha1 (RFC 3279 §2.2.2).
pub const DSA_WITH_SHA1: Oid = Oid::new_unwrap("1.2.840.10040.4.3");
/// id-dsa-with-sha224 (RFC 5758 §3.1).
pub const DSA_WITH_SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.1");
/// id-dsa-with-sha256 (RFC 5758 §3.1).
pub const DSA_WITH_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.2");
/// id-dsa-with-sha384 (NIST CSOR).
pub const DSA_WITH_SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.3");
/// id-dsa-with-sha512 (NIST CSOR).
pub const DSA_WITH_SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.4");

/// id-ce-subjectKeyIdentifier (RFC 5280 §4.2.1.2).
pub const SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");
/// id-ce-keyUsage (RFC 5280 §4.2.1.3).
pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
/// id-ce-basicConstraints (RFC 5280 §4.2.1.9).
pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
/// id-ce-authorityKeyIdentifier (RFC 5280 §4.2.1.1).
pub const AUTHORITY_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.35");
/// id-ce-extKeyUsage (RFC 5280 §4.2.1.12).
pub const EXTENDED_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
/// id-at-countryName (X.520).
pub const COUNTRY_NAME: Oid = Oid::new_unwrap("2.5.4.6");

/// `id-TA` (BSI TR-03110-3 §A.1.1.3, ICAO 9303-11 §9.2.7).
pub const ID_TA: Oid = Oid::new_unwrap("0.4.0.127.0.7.2.2.2");
/// `id-PK-DH` (BSI TR-03110-3 §A.1.1.2).
pub const ID_PK_DH: Oid = Oid::new_unwrap("0.4.0.127.0.7.2.2.1.1");
/// `id-PK-ECDH` (BSI TR-03110-3 §A.1.1.2).
pub const ID_PK_ECDH: Oid = Oid::new_unwrap("0.4.0.127.0.7.2.2.1.2");
/// `id-icao-mrtd-security-aaProtocolObject` (ICAO 9303-11 §9.2.9): Active Authentication.
pub const ID_AA: Oid = Oid::new_unwrap("2.23.136.1.1.5");
/// `id-EFDIR` (ICAO 9303-11 §9.2.11): a copy of EF.DIR.
pub const ID_EF_DIR: Oid = Oid::new_unwrap("2.23.136.1.1.13");
