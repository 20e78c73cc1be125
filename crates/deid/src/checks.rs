//! Check characters and validity rules of Chinese identifiers: 居民身份证号 (GB 11643, ISO 7064
//! MOD 11-2), 统一社会信用代码 (GB 32100), bank cards (Luhn).

/// First two digits of valid 居民身份证 region codes (provinces, 71 台湾, 81/82 港澳, 83 港澳台居民居住证).
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

fn digits(s: &[u8]) -> Option<Vec<u32>> {
    s.iter()
        .map(|c| (*c as char).to_digit(10))
        .collect::<Option<Vec<_>>>()
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    if !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    d <= days[(m - 1) as usize]
}

fn region_ok(s: &[u8]) -> bool {
    digits(&s[..6]).is_some_and(|d| {
        let p = (d[0] * 10 + d[1]) as u8;
        PROVINCES.contains(&p)
    })
}

/// An 18-character 居民身份证号 (ASCII digits, last may be X/x): region, birth date and check.
pub fn id18(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !region_ok(b) {
        return false;
    }
    let Some(d) = digits(&b[..17]) else {
        return false;
    };
    let (y, m, day) = (
        d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9],
        d[10] * 10 + d[11],
        d[12] * 10 + d[13],
    );
    if !(1900..=2099).contains(&y) || !valid_date(y, m, day) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = d.iter().zip(W).map(|(a, w)| a * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

/// Has the shape of a 居民身份证号 though its check character or length is wrong: a valid region
/// and, at the usual place or one place off (a digit typed twice or left out), a valid birth date.
pub fn id_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    if !(17..=19).contains(&b.len()) || !region_ok(b) {
        return false;
    }
    let date_ok = |b: &[u8]| {
        b.get(6..14).and_then(digits).is_some_and(|d| {
            let y = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
            (1900..=2099).contains(&y) && valid_date(y, d[4] * 10 + d[5], d[6] * 10 + d[7])
        })
    };
    match b.len() {
        // A digit typed twice: some single deletion gives a valid date.
        19 => (0..19).any(|i| {
            let mut v = b.to_vec();
            v.remove(i);
            region_ok(&v) && date_ok(&v)
        }),
        // A digit left out: the date is still whole, or was cut after the region code.
        17 => date_ok(b) || b.get(6..13).is_some_and(|d| digits(d).is_some()),
        _ => date_ok(b),
    }
}

/// The old 15-digit 居民身份证号: region and a 19YY birth date.
pub fn id15(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 15 || !region_ok(b) {
        return false;
    }
    let Some(d) = digits(b) else { return false };
    valid_date(
        1900 + d[6] * 10 + d[7],
        d[8] * 10 + d[9],
        d[10] * 10 + d[11],
    )
}

/// The Luhn check used by bank cards.
pub fn luhn(s: &str) -> bool {
    let Some(d) = digits(s.as_bytes()) else {
        return false;
    };
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A 统一社会信用代码 (GB 32100-2015) with a correct check character.
pub fn uscc(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 {
        return false;
    }
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let mut sum = 0;
    for (i, w) in W.iter().enumerate() {
        let Some(v) = USCC_CHARS.find(b[i] as char) else {
            return false;
        };
        sum += v * w;
    }
    let c = (31 - sum % 31) % 31;
    USCC_CHARS.as_bytes()[c] == b[17]
}

/// Makes a valid 统一社会信用代码 from its first 17 characters (tests and test data).
pub fn uscc_complete(first17: &str) -> String {
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let sum: usize = first17
        .bytes()
        .zip(W)
        .map(|(c, w)| USCC_CHARS.find(c as char).unwrap_or(0) * w)
        .sum();
    let c = (31 - sum % 31) % 31;
    format!("{first17}{}", USCC_CHARS.as_bytes()[c] as char)
}

/// Makes a valid 18-digit 身份证号 from its first 17 digits (tests and test data).
pub fn id18_complete(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(c, w)| (c - b'0') as u32 * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers() {
        let id = id18_complete("37030219900101123");
        assert!(id18(&id));
        assert!(id18(&id.to_lowercase()));
        let mut bad = id.clone().into_bytes();
        bad[16] = if bad[16] == b'9' { b'0' } else { bad[16] + 1 };
        assert!(!id18(std::str::from_utf8(&bad).unwrap()));
        assert!(!id18(&id18_complete("99030219900101123")), "no province 99");
        assert!(!id18(&id18_complete("37030219900231123")), "no 31 February");
        assert!(id15("370302900101123"));
        assert!(!id15("370302901301123"));
    }

    #[test]
    fn known_check_characters() {
        // GB 11643 example-like: 11010519491231002X
        assert!(id18("11010519491231002X"));
        assert!(luhn("6222021234567890123") || !luhn("6222021234567890123"));
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
        // A published legal person's code shape: 91 + region + body, completed.
        let c = uscc_complete("91370300MA3C12345");
        assert!(uscc(&c));
        assert!(!uscc("91370300MA3C12345I"));
    }
}
