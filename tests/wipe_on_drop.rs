//! A dropped `Document` leaves no personal data in freed memory (Vietnam's decree 13/2023:
//! ID data is sensitive personal data). The test binary's allocator looks into every block
//! freed while it is armed for a marker written into the card's data; the document's `Drop`
//! must have wiped the marker from its raw files and from every parsed field first.
#![cfg(feature = "sim")]

use cccd::document::Document;
use cccd::sim::{Card, Profile};
use cccd::ElementaryFile;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Found in no real data: six capital letters, allowed in an MRZ and in DG13's UTF-8 text.
const MARKER: &[u8] = b"WIPEME";

static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, which counts freed blocks holding [`MARKER`] while [`ARMED`].
struct Watch;

// SAFETY: every call goes to the system allocator unchanged; `dealloc` only reads the block
// it is handed, within the size of its layout, before freeing it.
unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) {
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if block.windows(MARKER.len()).any(|w| w == MARKER) {
                FOUND.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Watch = Watch;

/// Blocks holding the marker among those `f` frees.
fn marked_blocks_freed_by(f: impl FnOnce()) -> usize {
    FOUND.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    f();
    ARMED.store(false, Ordering::SeqCst);
    FOUND.load(Ordering::SeqCst)
}

/// Replaces every occurrence of `what` in `data` by `with` (same length: TLV lengths hold).
fn replace_all(data: &mut [u8], what: &[u8], with: &[u8]) -> usize {
    assert_eq!(what.len(), with.len());
    let mut n = 0;
    let mut i = 0;
    while i + what.len() <= data.len() {
        if &data[i..i + what.len()] == what {
            data[i..i + what.len()].copy_from_slice(with);
            n += 1;
            i += what.len();
        } else {
            i += 1;
        }
    }
    n
}

#[test]
fn a_dropped_document_leaves_no_personal_data_in_freed_memory() {
    // The detector sees a marked block that is freed as it is (so a pass below means something).
    let plain = [MARKER, MARKER].concat();
    assert_eq!(marked_blocks_freed_by(move || drop(plain)), 1);

    // The simulated card's ID number (12 digits) becomes `WIPEMEWIPEME` in DG13, and its
    // last 9 digits (DG1's document number) `WIPEMEABC` in DG1.
    let card = Card::new(Profile::Cccd, 7);
    let id = card.persona().id_number.clone();
    let content = |file: ElementaryFile| card.files().content(file.fid()).unwrap().to_vec();
    let mut dg13 = content(ElementaryFile::Dg(13));
    assert!(replace_all(&mut dg13, id.as_bytes(), b"WIPEMEWIPEME") >= 1);
    let mut dg1 = content(ElementaryFile::Dg(1));
    assert!(replace_all(&mut dg1, &id.as_bytes()[3..], b"WIPEMEABC") >= 1);
    let doc = Document::from_files([("DG1", dg1), ("DG13", dg13)]).unwrap();
    assert!(doc.parse_failures.is_empty(), "{:?}", doc.parse_failures);
    assert_eq!(
        doc.dg13.as_ref().and_then(|d| d.id_number.as_deref()),
        Some("WIPEMEWIPEME")
    );
    assert!(doc.dg1.is_some());

    assert_eq!(marked_blocks_freed_by(move || drop(doc)), 0);
}
