//! 签名密钥登记表: the paper form with which a unit enrols a device's signing key at the 指挥中心
//! (网上公安办公室). The unit, clerk, device, key id, algorithm and creation time; the fingerprint
//! in large type, four groups of four hex digits to a line, for reading aloud and comparing by
//! eye with the enrolment request; the public key in small type; the note on what to do with the
//! form; and the boxes for 申请人, 单位负责人（盖章） and the 指挥中心 checker with 核对结果.

use super::*;
use crate::layout::{Align, PAD_Y};
use crate::pdf::{beijing_time, cn_time, cut, Sheet};
use crate::qr::{compact_fingerprint, Matrix};
use crate::KeyEnrolmentData;

/// The form's name after the organisation.
const TITLE: &str = "签名密钥登记表";

/// What the unit does with the form, and that the private key is not on it.
const NOTE: &str = "请将本表签字盖章后送交指挥中心网上公安办公室；指挥中心核对指纹与登记申请文件一致后启用该密钥。密钥私钥仅保存在本机，不随本表提供。";

/// The fingerprint: 18 pt, centred, hex digits on a fixed advance so that the groups of the
/// four lines stand in columns.
const FINGERPRINT: Style = Style {
    size: 18.0,
    bold: false,
    align: Align::Center,
    grey: false,
    tabular: true,
};

/// The public key: 8 pt, enough for a 64-character PEM line on one line of the value cell.
const PUBLIC_KEY: Style = Style {
    size: 8.0,
    bold: false,
    align: Align::Left,
    grey: false,
    tabular: false,
};

/// Groups of the fingerprint per printed line.
const GROUPS_PER_LINE: usize = 4;

/// Blank space (mm) in the 申请人 and 单位负责人 boxes: room for the unit's seal (40–42 mm
/// across; it may overlap the date line, as usual).
const SEAL_SPACE: f32 = 30.0;
/// Blank space (mm) in the 指挥中心 box, under the printed 核对结果.
const CHECK_SPACE: f32 = 14.0;
/// Blank space (mm) above and below the fingerprint.
const FINGERPRINT_PAD: f32 = 3.0;

/// The date line under a signature box whose label already says 签字.
const DATE_LINE: &str = "年　　月　　日";

/// The fingerprint's groups, as given (split at white space); a fingerprint given without
/// spaces is cut into groups of four when it is all hex digits.
fn fingerprint_groups(fp: &str) -> Vec<String> {
    let given: Vec<String> = fp.split_whitespace().map(str::to_string).collect();
    let chars: Vec<char> = compact_fingerprint(fp).chars().collect();
    if given.len() == 1
        && chars.len() > 4
        && chars.iter().all(char::is_ascii_hexdigit)
        && chars.chunks(4).all(|c| c.len() == 4)
    {
        chars.chunks(4).map(|c| c.iter().collect()).collect()
    } else {
        given
    }
}

/// The fingerprint lines: four groups each, an ideographic space between groups.
fn fingerprint_lines(fp: &str) -> Vec<String> {
    fingerprint_groups(fp)
        .chunks(GROUPS_PER_LINE)
        .map(|g| g.join("\u{3000}"))
        .collect()
}

/// A signature box: label, blank space, a foot line.
fn sign_box(label: &str, paras: Vec<Para>, width_mm: f32, space_mm: f32, line: &str) -> [Cell; 2] {
    [
        label_cell(label, LABEL_W),
        sign_cell(paras, width_mm, space_mm, line),
    ]
}

pub(crate) fn rows(data: &KeyEnrolmentData) -> Vec<Row> {
    let mut rows = vec![
        kv2(
            "申请单位",
            vec![or_blank(&data.unit_name, "")],
            "单位代码",
            vec![or_blank(&data.unit_code, "")],
        ),
        kv2(
            "申 请 人",
            vec![or_blank(&data.clerk_name, "")],
            "生成时间",
            vec![v(cn_time(beijing_time(data.created_at)))],
        ),
        kv("设备编号", vec![or_blank(&data.device_id, "")]),
        kv2(
            "密钥编号",
            vec![or_blank(&data.key_id, "")],
            "签名算法",
            vec![or_blank(&data.algorithm_label, "")],
        ),
    ];

    let lines = fingerprint_lines(&data.fingerprint);
    // Room above and below the lines (the content is centred vertically).
    let min_height = lines.len() as f32 * FINGERPRINT.line_height()
        + Style::NOTE.line_height()
        + 2.0 * (PAD_Y + mm(FINGERPRINT_PAD));
    let mut p: Vec<Para> = if lines.is_empty() {
        vec![note("（无）")]
    } else {
        lines
            .into_iter()
            .map(|l| Para::new(l, FINGERPRINT))
            .collect()
    };
    p.push(Para::new(
        "核对时逐组宣读、比对，须与登记申请文件中的指纹完全一致",
        Style {
            align: Align::Center,
            ..Style::NOTE
        },
    ));
    let mut row = kv("密钥指纹", p);
    row.min_height = min_height;
    rows.push(row);

    rows.push(kv(
        "公　　钥",
        vec![if data.public_key.trim().is_empty() {
            note("（无）")
        } else {
            Para::new(data.public_key.trim(), PUBLIC_KEY)
        }],
    ));
    rows.push(kv("说　　明", vec![v(NOTE)]));

    let [l1, s1] = sign_box("申请人签字", vec![], PAIR_W, SEAL_SPACE, DATE_LINE);
    let [l2, s2] = sign_box(
        "单位负责人\n签字（盖章）",
        vec![],
        0.0,
        SEAL_SPACE,
        DATE_LINE,
    );
    rows.push(Row {
        cells: vec![l1, s1, l2, s2],
        min_height: 0.0,
        keep: true,
    });
    let [l, s] = sign_box(
        "指挥中心\n核对人签字",
        vec![
            v(format!(
                "核对结果：{}",
                checks([(false, "一致"), (false, "不一致")])
            )),
            note("核对本表密钥指纹与登记申请文件中的指纹"),
        ],
        0.0,
        CHECK_SPACE,
        SIGN_LINE,
    );
    rows.push(Row {
        cells: vec![l, s],
        min_height: 0.0,
        keep: true,
    });
    rows
}

/// The title: 淄博市公安局签名密钥登记表.
fn title(data: &KeyEnrolmentData) -> String {
    format!("{}{TITLE}", data.org_name.trim())
}

/// Header, footer and document info.
pub(crate) fn sheet<'a>(data: &KeyEnrolmentData, payload: &'a str, qr: &'a Matrix) -> Sheet<'a> {
    let title = title(data);
    let form_no = cut(data.form_no.trim(), 64);
    let key_id = cut(data.key_id.trim(), 64);
    let meta1 = format!(
        "表单编号：{form_no}　　单位代码：{}　　密钥编号：{key_id}",
        cut(data.unit_code.trim(), 64)
    );
    let mut meta2 = format!("打印时间：{}", cn_time(beijing_time(data.printed_at)));
    if !data.clerk_name.trim().is_empty() {
        meta2.push_str(&format!("（{}）", cut(&data.clerk_name, 20)));
    }
    let unit = cut(&data.unit_name, 100);
    Sheet {
        info_title: if unit.trim().is_empty() {
            title.clone()
        } else {
            format!("{title}：{}", unit.trim())
        },
        title,
        meta: [meta1, meta2],
        foot_left: format!("{form_no}　密钥 {key_id}"),
        foot_right: TITLE.to_string(),
        info_subject: format!(
            "单位 {} 密钥 {key_id} 指纹 {}",
            cut(data.unit_code.trim(), 64),
            cut(&fingerprint_lines(&data.fingerprint).join(" "), 200)
        ),
        printed_at: data.printed_at,
        payload,
        qr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_print_four_groups_to_a_line() {
        let fp = "97E7 E324 1E85 70F4 2FD3 3DE9 7B8F 1386 6E75 C6B2 3614 188E 82E1 6A90 D86E 0B50";
        let lines = fingerprint_lines(fp);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "97E7\u{3000}E324\u{3000}1E85\u{3000}70F4");
        assert_eq!(lines[3], "82E1\u{3000}6A90\u{3000}D86E\u{3000}0B50");
        // Without spaces, hex is grouped by fours; anything else is printed as given.
        assert_eq!(fingerprint_lines(&fp.replace(' ', "")), lines);
        assert_eq!(fingerprint_lines("xyz"), vec!["xyz"]);
        assert_eq!(fingerprint_lines(" a b\n c "), vec!["a\u{3000}b\u{3000}c"]);
        assert!(fingerprint_lines("  ").is_empty());
    }
}
