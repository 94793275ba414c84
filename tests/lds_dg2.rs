//! DG2 (face) parsing: the BSI TR-03105-5 specimen, hand-made edge cases, mutations.

use cccd::lds::dg2::Dg2;

fn shared(path: &str) -> Vec<u8> {
    let p = format!("{}/../shared/test-data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn scratch() {
    let dg2 = Dg2::parse(&shared("bsi-tr03105-5/Datagroup2.bin")).unwrap();
    println!("{dg2:#?}");
    #[cfg(feature = "jpeg2000")]
    {
        let d = dg2.face_images()[0].decode().unwrap();
        println!("{d:?}");
    }
}
