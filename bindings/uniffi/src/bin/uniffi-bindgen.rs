//! The UniFFI bindings generator, pinned to the crate's `uniffi` version (the generated sources
//! must match the scaffolding the library was built with).
fn main() {
    uniffi::uniffi_bindgen_main()
}
