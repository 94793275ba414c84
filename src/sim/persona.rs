//! The made-up citizen a simulated card belongs to, generated deterministically from a seed.
//!
//! Everything is invented (names, numbers, addresses) but follows the real rules: the 12-digit
//! ID number (province code of birth registration, century/sex digit, two digits of the birth
//! year, six digits), the card-validity rule of the Law on Citizen Identification 2014 and the
//! Law on Identification 2023 (renew at 25, 40 and 60, and at 14 for the 2024 "thẻ căn cước"),
//! and the TD1 MRZ printed on the back of the card.
//!
//! ```
//! use cccd::sim::persona::Persona;
//! let p = Persona::generate(7);
//! assert_eq!(p.id_number.len(), 12);
//! assert_eq!(p.can().as_str(), &p.id_number[6..]);
//! assert_eq!(p.document_number(), p.id_number[3..]);
//! assert_eq!(Persona::generate(7), p); // same seed, same person
//! ```

use crate::crypto::rng::SeededRandom;
use zeroize::Zeroizing;

/// The province and city codes that open a 12-digit ID number (Circular 07/2016/TT-BCA), with
/// the province name.
pub const PROVINCE_CODES: &[(&str, &str)] = &[
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "TP. Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// Which card the persona holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CardKind {
    /// "Căn cước công dân" with chip, issued 2021-01 to 2024-06 (renewal at 25, 40, 60).
    Cccd,
    /// "Thẻ căn cước" issued from 2024-07-01 (Law on Identification 2023: renewal also at 14).
    CanCuoc2024,
}

/// Sex as printed on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// "Nam", MRZ `M`.
    Male,
    /// "Nữ", MRZ `F`.
    Female,
}

impl Sex {
    /// The DG13 text: "Nam" or "Nữ".
    pub fn vietnamese(self) -> &'static str {
        match self {
            Self::Male => "Nam",
            Self::Female => "Nữ",
        }
    }

    /// The MRZ letter.
    pub fn mrz(self) -> char {
        match self {
            Self::Male => 'M',
            Self::Female => 'F',
        }
    }
}

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 1990.
    pub year: u16,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=31.
    pub day: u8,
}

impl Date {
    /// A date; out-of-range days are clamped to the month's last day.
    pub fn new(year: u16, month: u8, day: u8) -> Self {
        let month = month.clamp(1, 12);
        let day = day.clamp(1, days_in_month(year, month));
        Self { year, month, day }
    }

    /// `YYMMDD`, as the MRZ holds it.
    pub fn yymmdd(self) -> String {
        format!("{:02}{:02}{:02}", self.year % 100, self.month, self.day)
    }

    /// `dd/MM/yyyy`, as DG13 holds it.
    pub fn dd_mm_yyyy(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// The same day `years` later (29 February becomes 28 February in common years).
    pub fn add_years(self, years: i32) -> Self {
        let y = (i32::from(self.year) + years).clamp(0, 9999) as u16;
        Self::new(y, self.month, self.day)
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::to_days`] (`civil_from_days`).
    fn from_days(z: i64) -> Self {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self::new(year.clamp(0, 9999) as u16, month as u8, day as u8)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A simulated card holder. All personal data is invented; `Debug` still prints nothing but the
/// card kind, since readers' logs must not learn to print personal data.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Persona {
    /// The card type.
    pub kind: CardKind,
    /// The 12-digit personal identification number ("Số định danh cá nhân").
    pub id_number: String,
    /// The 9-digit number of the old identity card (CMND), when the holder had one.
    pub old_id_number: Option<String>,
    /// Full name with diacritics, family name first ("Nguyễn Văn An").
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Nationality as DG13 writes it.
    pub nationality: String,
    /// Ethnicity ("Kinh" for most).
    pub ethnicity: String,
    /// Religion ("Không": none, for most).
    pub religion: String,
    /// Place of origin ("Quê quán"; the 2024 card prints the place of birth registration).
    pub place_of_origin: String,
    /// Place of residence ("Nơi thường trú").
    pub place_of_residence: String,
    /// Identifying marks ("Đặc điểm nhận dạng").
    pub identifying_marks: String,
    /// Date of issue.
    pub date_of_issue: Date,
    /// Date of expiry; `None` when the card is valid for life (issued from age 58).
    pub date_of_expiry: Option<Date>,
    /// Father's full name.
    pub father_name: String,
    /// Mother's full name.
    pub mother_name: String,
    /// Spouse's full name, when married.
    pub spouse_name: Option<String>,
    /// The 16-hex-character card serial of DG13 field 16.
    pub card_serial: String,
}

impl core::fmt::Debug for Persona {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Persona")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Persona {
    /// A persona that depends only on `seed`.
    pub fn generate(seed: u64) -> Self {
        let mut rng =
            SeededRandom::from_bytes(&[b"cccd-persona".as_slice(), &seed.to_be_bytes()].concat());
        let kind = if rng.below(10) < 7 {
            CardKind::Cccd
        } else {
            CardKind::CanCuoc2024
        };
        let (first, last) = match kind {
            CardKind::Cccd => (Date::new(2021, 1, 1), Date::new(2024, 6, 30)),
            CardKind::CanCuoc2024 => (Date::new(2024, 7, 1), Date::new(2025, 12, 31)),
        };
        let date_of_issue = random_date(&mut rng, first, last);
        // Chip CCCDs were issued from age 14; the 2024 card also goes to children.
        let (min_age, max_age) = match kind {
            CardKind::CanCuoc2024 if rng.below(10) == 0 => (6, 13),
            _ => (14, 85),
        };
        let date_of_birth = random_date(
            &mut rng,
            date_of_issue.add_years(-(max_age + 1)).add_days(1),
            date_of_issue.add_years(-min_age),
        );
        let sex = if rng.below(2) == 0 {
            Sex::Male
        } else {
            Sex::Female
        };

        let origin = pick(&mut rng, PLACES).unwrap_or(&FALLBACK_PLACE);
        let residence = if rng.below(3) == 0 {
            pick(&mut rng, PLACES).unwrap_or(origin)
        } else {
            origin
        };
        let century_sex = match (date_of_birth.year >= 2000, sex) {
            (false, Sex::Male) => 0,
            (false, Sex::Female) => 1,
            (true, Sex::Male) => 2,
            (true, Sex::Female) => 3,
        };
        let id_number = format!(
            "{}{}{:02}{:06}",
            origin.code,
            century_sex,
            date_of_birth.year % 100,
            rng.below(1_000_000)
        );
        let old_id_number = (date_of_birth.year < 2003 && rng.below(10) < 7)
            .then(|| format!("{:09}", 10_000_000 + rng.below(380_000_000)));

        let family = weighted_family_name(&mut rng);
        let full_name = person_name(&mut rng, family, sex);
        let father_name = person_name(&mut rng, family, Sex::Male);
        let mother_family = weighted_family_name(&mut rng);
        let mother_name = person_name(&mut rng, mother_family, Sex::Female);
        let age = age_on(date_of_birth, date_of_issue);
        let spouse_name = (age >= 22 && rng.below(10) < 6).then(|| {
            let other = match sex {
                Sex::Male => Sex::Female,
                Sex::Female => Sex::Male,
            };
            let fam = weighted_family_name(&mut rng);
            person_name(&mut rng, fam, other)
        });

        let ethnicity = if rng.below(10) < 9 {
            "Kinh"
        } else {
            pick_str(&mut rng, ETHNICITIES)
        };
        let religion = if rng.below(10) < 8 {
            "Không"
        } else {
            pick_str(&mut rng, RELIGIONS)
        };
        let place_of_origin = rural_address(&mut rng, origin, false);
        let place_of_residence = rural_address(&mut rng, residence, true);
        let identifying_marks = pick_str(&mut rng, MARKS).to_owned();
        let card_serial = hex::encode_upper(rng.bytes(8));
        let date_of_expiry = expiry(kind, date_of_birth, date_of_issue);

        Self {
            kind,
            id_number,
            old_id_number,
            full_name,
            sex,
            date_of_birth,
            nationality: "Việt Nam".to_owned(),
            ethnicity: ethnicity.to_owned(),
            religion: religion.to_owned(),
            place_of_origin,
            place_of_residence,
            identifying_marks,
            date_of_issue,
            date_of_expiry,
            father_name,
            mother_name,
            spouse_name,
            card_serial,
        }
    }

    /// The PACE CAN: the last 6 digits of the ID number (the card prints no CAN).
    pub fn can(&self) -> Zeroizing<String> {
        Zeroizing::new(self.id_number.get(6..).unwrap_or_default().to_owned())
    }

    /// The MRZ document number: the LAST 9 digits of the ID number.
    pub fn document_number(&self) -> String {
        self.id_number.get(3..).unwrap_or_default().to_owned()
    }

    /// The 6 MRZ characters of the expiry date: `YYMMDD`, or `<<<<<<` when valid for life.
    pub fn mrz_expiry(&self) -> String {
        self.date_of_expiry
            .map_or_else(|| "<<<<<<".to_owned(), Date::yymmdd)
    }

    /// The three 30-character lines of the TD1 MRZ (ICAO 9303-5 §4.2).
    pub fn mrz(&self) -> [String; 3] {
        let doc = self.document_number();
        let line1 = format!(
            "IDVNM{doc}{}{}<<{}",
            check_digit(&doc),
            self.id_number,
            check_digit(&self.id_number)
        );
        let birth = self.date_of_birth.yymmdd();
        let expiry = self.mrz_expiry();
        let mut line2 = format!(
            "{birth}{}{}{expiry}{}VNM<<<<<<<<<<<",
            check_digit(&birth),
            self.sex.mrz(),
            check_digit(&expiry)
        );
        // Composite check digit over upper-line positions 6-30 and lower-line positions 1-7,
        // 9-15 and 19-29 (ICAO 9303-5 §4.2.4).
        let composite: String = [
            line1.get(5..30),
            line2.get(0..7),
            line2.get(8..15),
            line2.get(18..29),
        ]
        .into_iter()
        .map(|s| s.unwrap_or_default())
        .collect();
        line2.push(check_digit(&composite));
        [line1, line2, mrz_name(&self.full_name)]
    }

    /// The BAC / PACE-MRZ "MRZ information": document number, date of birth and date of
    /// expiry, each with its check digit (ICAO 9303-11 §9.7.2).
    pub fn mrz_information(&self) -> Zeroizing<String> {
        let doc = self.document_number();
        let birth = self.date_of_birth.yymmdd();
        let expiry = self.mrz_expiry();
        Zeroizing::new(format!(
            "{doc}{}{birth}{}{expiry}{}",
            check_digit(&doc),
            check_digit(&birth),
            check_digit(&expiry)
        ))
    }
}

/// The ICAO 9303-3 §4.9 check digit: weights 7, 3, 1; digits as themselves, `A`..`Z` as 10..35,
/// `<` (and anything else) as 0.
pub fn check_digit(field: &str) -> char {
    let sum: u32 = field
        .chars()
        .zip([7u32, 3, 1].into_iter().cycle())
        .map(|(c, w)| {
            let v = match c {
                '0'..='9' => u32::from(c) - u32::from('0'),
                'A'..='Z' => u32::from(c) - u32::from('A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    char::from_digit(sum % 10, 10).unwrap_or('0')
}

/// The MRZ name line: `SURNAME<<GIVEN<NAMES`, diacritics removed (Đ becomes D), padded or cut
/// to 30 characters.
pub fn mrz_name(full_name: &str) -> String {
    mrz_name_field(full_name, 30)
}

/// The MRZ name field of `width` characters (30 for TD1 line 3, 39 for the TD3 name field),
/// written as [`mrz_name`] writes it.
pub fn mrz_name_field(full_name: &str, width: usize) -> String {
    let mut words = full_name.split_whitespace().map(transliterate);
    let surname = words.next().unwrap_or_default();
    let given: Vec<String> = words.collect();
    let mut line = format!("{surname}<<{}", given.join("<"));
    line = line.chars().take(width).collect();
    while line.chars().count() < width {
        line.push('<');
    }
    line
}

/// Vietnamese letters to upper-case ASCII, dropping what the MRZ cannot hold.
fn transliterate(word: &str) -> String {
    const GROUPS: &[(char, &str)] = &[
        ('A', "aàáạảãâầấậẩẫăằắặẳẵ"),
        ('E', "eèéẹẻẽêềếệểễ"),
        ('I', "iìíịỉĩ"),
        ('O', "oòóọỏõôồốộổỗơờớợởỡ"),
        ('U', "uùúụủũưừứựửữ"),
        ('Y', "yỳýỵỷỹ"),
        ('D', "dđ"),
    ];
    word.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if let Some((base, _)) = GROUPS.iter().find(|(_, set)| set.contains(c)) {
                Some(*base)
            } else if c.is_ascii_alphabetic() {
                Some(c.to_ascii_uppercase())
            } else if c == '-' {
                Some('<')
            } else {
                None
            }
        })
        .collect()
}

/// The expiry date by the card-validity rule: the 25th, 40th or 60th birthday (also the 14th
/// for the 2024 card), or the next one when the card is issued within two years before it;
/// none when issued from age 58.
pub fn expiry(kind: CardKind, date_of_birth: Date, date_of_issue: Date) -> Option<Date> {
    let milestones: &[i32] = match kind {
        CardKind::Cccd => &[25, 40, 60],
        CardKind::CanCuoc2024 => &[14, 25, 40, 60],
    };
    milestones
        .iter()
        .map(|age| date_of_birth.add_years(*age))
        .find(|birthday| date_of_issue < birthday.add_years(-2))
}

fn age_on(birth: Date, day: Date) -> i32 {
    let mut age = i32::from(day.year) - i32::from(birth.year);
    if (day.month, day.day) < (birth.month, birth.day) {
        age -= 1;
    }
    age
}

impl Date {
    fn add_days(self, days: i64) -> Self {
        Self::from_days(self.to_days() + days)
    }
}

fn random_date(rng: &mut SeededRandom, first: Date, last: Date) -> Date {
    let (a, b) = (first.to_days(), last.to_days());
    let span = u64::try_from(b - a + 1).unwrap_or(1);
    Date::from_days(a + i64::try_from(rng.below(span)).unwrap_or(0))
}

fn pick<'a, T>(rng: &mut SeededRandom, items: &'a [T]) -> Option<&'a T> {
    let i = usize::try_from(rng.below(items.len() as u64)).unwrap_or(0);
    items.get(i)
}

fn pick_str(rng: &mut SeededRandom, items: &[&'static str]) -> &'static str {
    pick(rng, items).copied().unwrap_or_default()
}

/// Family names with rough frequencies (per 100 people).
const FAMILY_NAMES: &[(&str, u64)] = &[
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
];

fn weighted_family_name(rng: &mut SeededRandom) -> &'static str {
    let total: u64 = FAMILY_NAMES.iter().map(|(_, w)| w).sum();
    let mut r = rng.below(total);
    for (name, w) in FAMILY_NAMES {
        if r < *w {
            return name;
        }
        r -= w;
    }
    "Nguyễn"
}

const MIDDLE_MALE: &[&str] = &[
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Ngọc", "Gia",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Ngọc", "Thanh", "Thu", "Minh", "Phương", "Kim", "Hồng", "Thùy", "Bảo",
];
const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Đông", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa",
    "Long", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Thắng", "Tiến", "Trung", "Tuấn", "Việt",
    "Vinh",
];
const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Loan",
    "Mai", "Ngân", "Nhung", "Oanh", "Quyên", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Ánh", "Diệp",
];

fn person_name(rng: &mut SeededRandom, family: &str, sex: Sex) -> String {
    let (middles, givens) = match sex {
        Sex::Male => (MIDDLE_MALE, GIVEN_MALE),
        Sex::Female => (MIDDLE_FEMALE, GIVEN_FEMALE),
    };
    let middle = pick_str(rng, middles);
    let given = pick_str(rng, givens);
    if rng.below(4) == 0 {
        // A second middle name: "Nguyễn Thị Thu Hà".
        let second = pick_str(rng, middles.get(2..).unwrap_or_default());
        if second != middle {
            return format!("{family} {middle} {second} {given}");
        }
    }
    format!("{family} {middle} {given}")
}

const ETHNICITIES: &[&str] = &["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông"];
const RELIGIONS: &[&str] = &[
    "Phật giáo",
    "Công giáo",
    "Cao Đài",
    "Phật giáo Hòa Hảo",
    "Tin lành",
];
const MARKS: &[&str] = &[
    "Nốt ruồi C:1cm trên trước mép phải",
    "Nốt ruồi C:1,5cm dưới sau đuôi mắt trái",
    "Sẹo chấm C:2cm trên trước đầu lông mày phải",
    "Sẹo chấm C:1cm dưới cánh mũi trái",
    "Nốt ruồi C:2cm dưới sau cánh mũi phải",
    "Sẹo dài 1,5cm C:3cm trên sau đuôi mắt phải",
];

/// A province with a few real districts and wards/communes, for addresses.
struct Place {
    code: &'static str,
    province: &'static str,
    districts: &'static [(&'static str, &'static [&'static str])],
}

const FALLBACK_PLACE: Place = Place {
    code: "001",
    province: "Hà Nội",
    districts: &[("Quận Cầu Giấy", &["Phường Dịch Vọng"])],
};

const PLACES: &[Place] = &[
    Place {
        code: "001",
        province: "Hà Nội",
        districts: &[
            (
                "Quận Cầu Giấy",
                &["Phường Dịch Vọng", "Phường Trung Hòa", "Phường Quan Hoa"],
            ),
            (
                "Quận Hai Bà Trưng",
                &[
                    "Phường Bạch Mai",
                    "Phường Phạm Đình Hổ",
                    "Phường Lê Đại Hành",
                ],
            ),
            ("Huyện Sóc Sơn", &["Xã Phù Linh", "Xã Tiên Dược"]),
            ("Huyện Thanh Oai", &["Xã Bích Hòa", "Xã Cự Khê"]),
        ],
    },
    Place {
        code: "079",
        province: "TP. Hồ Chí Minh",
        districts: &[
            ("Quận 1", &["Phường Bến Nghé", "Phường Đa Kao"]),
            ("Quận Bình Thạnh", &["Phường 25", "Phường 13"]),
            ("Huyện Củ Chi", &["Xã Tân Thông Hội", "Xã Phước Vĩnh An"]),
        ],
    },
    Place {
        code: "048",
        province: "Đà Nẵng",
        districts: &[
            (
                "Quận Hải Châu",
                &["Phường Thạch Thang", "Phường Hòa Cường Bắc"],
            ),
            ("Huyện Hòa Vang", &["Xã Hòa Phong", "Xã Hòa Tiến"]),
        ],
    },
    Place {
        code: "031",
        province: "Hải Phòng",
        districts: &[
            ("Quận Lê Chân", &["Phường An Biên", "Phường Dư Hàng"]),
            ("Huyện Thủy Nguyên", &["Xã Lại Xuân", "Xã Kỳ Sơn"]),
        ],
    },
    Place {
        code: "040",
        province: "Nghệ An",
        districts: &[
            ("Thành phố Vinh", &["Phường Hưng Bình", "Phường Lê Mao"]),
            ("Huyện Nghĩa Đàn", &["Xã Nghĩa Hội", "Xã Nghĩa Thọ"]),
            ("Huyện Quỳnh Lưu", &["Xã Quỳnh Đôi"]),
        ],
    },
    Place {
        code: "038",
        province: "Thanh Hóa",
        districts: &[
            (
                "Thành phố Thanh Hóa",
                &["Phường Điện Biên", "Phường Ba Đình"],
            ),
            ("Huyện Hoằng Hóa", &["Xã Hoằng Đạo", "Xã Hoằng Phú"]),
        ],
    },
    Place {
        code: "036",
        province: "Nam Định",
        districts: &[
            ("Huyện Hải Hậu", &["Xã Hải Anh", "Xã Hải Minh"]),
            ("Thành phố Nam Định", &["Phường Trần Hưng Đạo"]),
        ],
    },
    Place {
        code: "034",
        province: "Thái Bình",
        districts: &[
            ("Huyện Vũ Thư", &["Xã Song An", "Xã Tam Quang"]),
            ("Huyện Kiến Xương", &["Xã Vũ Quý"]),
        ],
    },
    Place {
        code: "046",
        province: "Thừa Thiên Huế",
        districts: &[
            ("Thành phố Huế", &["Phường Phú Hội", "Phường Vĩnh Ninh"]),
            ("Huyện Phú Vang", &["Xã Phú Thượng"]),
        ],
    },
    Place {
        code: "092",
        province: "Cần Thơ",
        districts: &[
            ("Quận Ninh Kiều", &["Phường An Hòa", "Phường Tân An"]),
            ("Huyện Phong Điền", &["Xã Nhơn Ái"]),
        ],
    },
    Place {
        code: "089",
        province: "An Giang",
        districts: &[
            ("Thành phố Long Xuyên", &["Phường Mỹ Bình"]),
            ("Huyện Chợ Mới", &["Xã Kiến An", "Xã Long Điền A"]),
        ],
    },
    Place {
        code: "024",
        province: "Bắc Giang",
        districts: &[
            ("Huyện Việt Yên", &["Xã Nghĩa Trung", "Xã Vân Trung"]),
            ("Huyện Lạng Giang", &["Xã Tân Dĩnh"]),
        ],
    },
    Place {
        code: "066",
        province: "Đắk Lắk",
        districts: &[
            (
                "Thành phố Buôn Ma Thuột",
                &["Phường Tân Lợi", "Phường Thắng Lợi"],
            ),
            ("Huyện Krông Pắc", &["Xã Ea Kly"]),
        ],
    },
    Place {
        code: "052",
        province: "Bình Định",
        districts: &[
            ("Thành phố Quy Nhơn", &["Phường Lê Lợi", "Phường Trần Phú"]),
            ("Huyện Phù Cát", &["Xã Cát Hanh"]),
        ],
    },
];

const HAMLETS: &[&str] = &[
    "Đông",
    "Thượng",
    "Trung",
    "Hạ",
    "Bắc",
    "Nam",
    "Tân Lập",
    "Phú Mỹ",
];

/// "Xã Nghĩa Hội, Huyện Nghĩa Đàn, Nghệ An" for an origin; a residence also gets a house,
/// group or hamlet in front.
fn rural_address(rng: &mut SeededRandom, place: &Place, with_house: bool) -> String {
    let (district, wards) = pick(rng, place.districts).copied().unwrap_or(("", &[]));
    let ward = pick_str(rng, wards);
    let mut parts = Vec::new();
    if with_house {
        let house = if ward.starts_with("Phường") {
            match rng.below(2) {
                0 => format!("Số {} Ngõ {}", 1 + rng.below(120), 1 + rng.below(200)),
                _ => format!("Tổ {}", 1 + rng.below(30)),
            }
        } else {
            match rng.below(2) {
                0 => format!("Thôn {}", pick_str(rng, HAMLETS)),
                _ => format!("Xóm {}", 1 + rng.below(15)),
            }
        };
        parts.push(house);
    }
    parts.extend([ward, district, place.province].map(str::to_owned));
    parts.retain(|p| !p.is_empty());
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // ICAO 9303-3 §4.9 worked example: "L898902C3" -> 6 for "L898902C<"; dates from the
    // ICAO specimen MRZ "L898902C<369080619406236".
    #[test]
    fn icao_check_digits() {
        assert_eq!(check_digit("L898902C<"), '3');
        assert_eq!(check_digit("690806"), '1');
        assert_eq!(check_digit("940623"), '6');
        assert_eq!(check_digit("<<<<<<"), '0');
    }

    #[test]
    fn names_are_transliterated() {
        assert_eq!(
            mrz_name("Đặng Thị Thu Hà"),
            "DANG<<THI<THU<HA<<<<<<<<<<<<<<"
        );
        assert_eq!(mrz_name("Nguyễn Văn Ánh").len(), 30);
        assert_eq!(transliterate("Hồ"), "HO");
        assert_eq!(transliterate("Dương"), "DUONG");
    }

    #[test]
    fn validity_rule() {
        let dob = Date::new(1990, 3, 15);
        // Issued at 31: valid to the 40th birthday.
        assert_eq!(
            expiry(CardKind::Cccd, dob, Date::new(2021, 5, 1)),
            Some(Date::new(2030, 3, 15))
        );
        // Issued within two years before 25: valid to 40.
        let young = Date::new(1998, 1, 10);
        assert_eq!(
            expiry(CardKind::Cccd, young, Date::new(2021, 6, 1)),
            Some(Date::new(2038, 1, 10))
        );
        // Issued from 58: no expiry.
        let old = Date::new(1963, 2, 1);
        assert_eq!(expiry(CardKind::Cccd, old, Date::new(2021, 3, 1)), None);
        // Issued at 57: valid to 60.
        assert_eq!(
            expiry(CardKind::Cccd, old, Date::new(2020, 1, 1)),
            Some(Date::new(2023, 2, 1))
        );
        // The 2024 card renews at 14.
        let child = Date::new(2015, 8, 8);
        assert_eq!(
            expiry(CardKind::CanCuoc2024, child, Date::new(2024, 9, 1)),
            Some(Date::new(2029, 8, 8))
        );
        // Leap day.
        assert_eq!(Date::new(2000, 2, 29).add_years(25), Date::new(2025, 2, 28));
    }

    #[test]
    fn day_arithmetic_roundtrips() {
        for d in [
            Date::new(1970, 1, 1),
            Date::new(2000, 2, 29),
            Date::new(1899, 12, 31),
            Date::new(2024, 7, 1),
        ] {
            assert_eq!(Date::from_days(d.to_days()), d);
        }
        assert_eq!(Date::new(1970, 1, 2).to_days(), 1);
        assert_eq!(
            Date::new(2000, 3, 1).to_days() - Date::new(2000, 2, 28).to_days(),
            2
        );
    }
}
