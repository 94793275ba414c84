//! The committed Kotlin, Swift and Python sources under `bindings/uniffi/generated/` must be what
//! uniffi-bindgen generates from the library today: apps compile against the committed files,
//! and a stale one would call functions with a wrong signature (UniFFI's checksums then refuse
//! to load the library at run time, on the user's phone).
//! `CCCD_BLESS_GENERATED=1 cargo test -p cccd-uniffi --test generated` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use camino::Utf8PathBuf;
use uniffi::{GenerateOptions, TargetLanguage};

/// The cdylib cargo built beside this test (the library target is built with all its crate
/// types before its integration tests).
fn cdylib() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let name = format!(
        "{}cccd_uniffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(&name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found beside {}", exe.display()))
}

/// Every file under `dir`, by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).expect("a UTF-8 source");
                out.insert(
                    path.strip_prefix(dir).expect("under dir").to_path_buf(),
                    text,
                );
            }
        }
    }
    out
}

#[test]
fn committed_sources_equal_a_fresh_generation() {
    let library = cdylib();
    let fresh_root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("uniffi-generated");
    let _ = std::fs::remove_dir_all(&fresh_root);
    let committed_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated");
    let bless = std::env::var_os("CCCD_BLESS_GENERATED").is_some();
    let mut stale = Vec::new();
    for (dir, language) in [
        ("kotlin", TargetLanguage::Kotlin),
        ("swift", TargetLanguage::Swift),
        ("python", TargetLanguage::Python),
    ] {
        let out = fresh_root.join(dir);
        uniffi::generate(GenerateOptions {
            languages: vec![language],
            source: Utf8PathBuf::from_path_buf(library.clone()).expect("a UTF-8 path"),
            out_dir: Utf8PathBuf::from_path_buf(out.clone()).expect("a UTF-8 path"),
            config_override: None,
            format: false,
            crate_filter: Some("cccd_uniffi".into()),
            metadata_no_deps: true,
        })
        .unwrap_or_else(|e| panic!("uniffi-bindgen {dir}: {e:?}"));
        let fresh = files(&out);
        assert!(!fresh.is_empty(), "nothing generated for {dir}");
        let committed_dir = committed_root.join(dir);
        if bless {
            let _ = std::fs::remove_dir_all(&committed_dir);
            for (path, text) in &fresh {
                let target = committed_dir.join(path);
                std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
                std::fs::write(&target, text).expect("write a generated source");
            }
        }
        if files(&committed_dir) != fresh {
            stale.push(dir);
        }
    }
    assert!(
        stale.is_empty(),
        "bindings/uniffi/generated/{stale:?} differ from a fresh generation: regenerate with \
         CCCD_BLESS_GENERATED=1 cargo test -p cccd-uniffi --test generated, and commit them"
    );
    // What apps rely on is in them.
    let python = files(&committed_root.join("python"));
    let python = python.values().next().expect("the Python module");
    for name in [
        "def read_card(",
        "def verify_dump(",
        "class CardTransport",
        "class SimulatedCard",
        "class CccdError",
        "class WrongAccessKey",
    ] {
        assert!(
            python.contains(name),
            "{name} missing from the Python module"
        );
    }
}
