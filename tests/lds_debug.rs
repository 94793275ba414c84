//! `Debug` of the parsed personal data (DG1, DG2 and its biometric parts, DG11, DG12, DG13)
//! shows the shape of the data, never a value: formatted with `{:?}`, no field value of a
//! simulated persona may appear, and none of the holder's facial attributes.
#![cfg(feature = "sim")]

use cccd::lds::dg1::Dg1;
use cccd::lds::dg11::Dg11;
use cccd::lds::dg12::Dg12;
use cccd::lds::dg13::Dg13;
use cccd::lds::dg2::{BiometricData, Dg2, FacialInformation, FeaturePoint};
use cccd::sim::persona::Persona;
use cccd::sim::{passport, Card, Profile};

/// Every value of `p` as the files hold it, in every spelling the encoders use.
fn values(p: &Persona) -> Vec<String> {
    let d = p.date_of_birth;
    let mut v = vec![
        p.id_number.clone(),
        p.document_number(),
        p.full_name.clone(),
        p.date_of_birth.yymmdd(),
        p.date_of_birth.dd_mm_yyyy(),
        format!("{:04}{:02}{:02}", d.year, d.month, d.day),
        p.place_of_origin.clone(),
        p.place_of_residence.clone(),
        p.identifying_marks.clone(),
        p.date_of_issue.dd_mm_yyyy(),
        p.father_name.clone(),
        p.mother_name.clone(),
        p.card_serial.clone(),
        p.mrz().concat(),
        passport::document_number(p),
        passport::mrz(p).concat(),
        passport::dg11_name(p),
    ];
    v.extend(p.spouse_name.clone());
    v.extend(p.old_id_number.clone());
    v.extend(p.date_of_expiry.map(|d| d.dd_mm_yyyy()));
    // Each word of the names on its own (family names are short: at least 3 letters).
    for name in [&p.full_name, &p.father_name, &p.mother_name] {
        v.extend(
            name.split_whitespace()
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_owned),
        );
    }
    v
}

fn assert_hides(what: &str, shown: &str, values: &[String]) {
    for value in values {
        assert!(
            !shown.contains(value.as_str()),
            "{what} shows {value:?}: {shown}"
        );
    }
    for attribute in [
        "gender",
        "eye",
        "hair",
        "pose",
        "expression",
        "mask",
        "creator",
    ] {
        assert!(
            !shown.contains(attribute),
            "{what} shows {attribute}: {shown}"
        );
    }
}

#[test]
fn debug_of_personal_data_shows_no_value() {
    for seed in 0..20u64 {
        for profile in [Profile::Cccd, Profile::Passport] {
            let card = Card::new(profile, seed);
            let p = card.persona().clone();
            let values = values(&p);
            let file = |n: u8| card.files().content(0x0100 | u16::from(n)).unwrap();

            let dg1 = Dg1::parse(file(1)).unwrap();
            assert_hides("Dg1", &format!("{dg1:?} {:?}", dg1.mrz), &values);

            let dg2 = Dg2::parse(file(2)).unwrap();
            let mut shown = format!("{dg2:?}");
            for instance in &dg2.instances {
                shown += &format!(" {instance:?} {:?} {:?}", instance.header, instance.data);
                if let BiometricData::Iso19794_5(record) = &instance.data {
                    for face in &record.faces {
                        shown += &format!(
                            " {face:?} {:?} {:?} {:?}",
                            face.facial_information, face.image_information, face.image
                        );
                    }
                }
            }
            assert_hides("Dg2", &shown, &values);
            // The shape is there: one JPEG face and its size.
            assert!(shown.contains("Jpeg"), "{shown}");

            match profile {
                Profile::Cccd => {
                    let dg13 = Dg13::parse(file(13)).unwrap();
                    assert_eq!(dg13.id_number.as_deref(), Some(p.id_number.as_str()));
                    assert_hides("Dg13", &format!("{dg13:?}"), &values);
                }
                _ => {
                    let dg11 = Dg11::parse(file(11)).unwrap();
                    assert_eq!(dg11.personal_number.as_deref(), Some(p.id_number.as_str()));
                    assert_hides("Dg11", &format!("{dg11:?}"), &values);
                    let dg12 = Dg12::parse(file(12)).unwrap();
                    assert!(dg12.date_of_issue.is_some());
                    assert_hides("Dg12", &format!("{dg12:?}"), &values);
                }
            }
        }
    }
}

#[test]
fn facial_attributes_and_feature_points_are_not_shown() {
    let info = FacialInformation {
        gender: 2,
        eye_colour: 4,
        hair_colour: 5,
        feature_mask: 0x00_0123,
        expression: 1,
        pose_angle: [1, 2, 3],
        pose_angle_uncertainty: [4, 5, 6],
    };
    assert_eq!(format!("{info:?}"), "FacialInformation(***)");
    let point = FeaturePoint {
        feature_type: 1,
        code: 0x31,
        x: 217,
        y: 311,
    };
    assert_eq!(format!("{point:?}"), "FeaturePoint(***)");
}
