//! The face of a simulated card: a real JPEG inside an ISO 19794-5 record, found without fixed
//! offsets, that decodes to the size its record states.
#![cfg(all(feature = "sim", feature = "image"))]

use cccd::access::AccessKey;
use cccd::lds::dg2::Dg2;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::{Card, Profile, SimTransport};
use cccd::ElementaryFile;

#[test]
fn simulated_face_decodes_to_its_recorded_size() {
    for seed in [1u64, 2] {
        let card = Card::new(Profile::Cccd, seed);
        let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
        let doc = Reader::new(SimTransport::new(card))
            .open(&key)
            .unwrap()
            .read_document(&ReadOptions::default(), &mut |_| {})
            .unwrap();
        let summary = doc.faces.first().expect("one face");
        assert_eq!(summary.format, cccd::lds::dg2::ImageFormat::Jpeg);
        let dg2 = Dg2::parse(doc.raw(ElementaryFile::Dg(2)).unwrap()).unwrap();
        let faces = dg2.face_images();
        let image = faces[0].decode().unwrap();
        assert_eq!(Some(image.width), summary.width);
        assert_eq!(Some(image.height), summary.height);
        // Not a blank frame: the portrait has a dark region (hair, eyes) and a light one.
        let lum: Vec<u32> = image
            .rgb8
            .chunks(3)
            .map(|p| p.iter().map(|c| u32::from(*c)).sum())
            .collect();
        assert!(lum.iter().any(|l| *l < 200) && lum.iter().any(|l| *l > 650));
    }
}
