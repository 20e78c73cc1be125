//! 去标识化 for Gongkai: find personal information in Chinese official text and mask it.
//!
//! [`Scanner::scan`] returns [`Finding`]s with code-point offsets; [`policy::apply`] replaces the
//! accepted ones by the bureau's [`Policy`]. Every finding carries its reason (the rule, the cue or
//! the model's score), and [`Scanner::explain`] also lists what was kept visible on purpose and
//! why (officials, published office contacts, 双公示 legal representatives, agency addresses).
//! Numbers by their check characters and cues; names by cues, a CRF tagger shipped with the crate
//! ([`tagger`]), lists and recurrence; addresses by cues and residential patterns. The jieba
//! dictionary and the model are loaded once per process.

mod address;
pub mod checks;
mod detect;
mod finding;
pub mod image;
mod names;
pub mod policy;
pub mod tagger;
mod text;

pub use address::generalise as generalise_address;
pub use finding::{Finding, Kept, Kind, Scan};
pub use policy::{apply, apply_with, Allow, Applied, Operator, Policy, Pseudonyms, Replacement};

use std::io::BufRead;

/// Errors of the de-identification crate. `Display` is the clerk's message.
#[derive(Debug, thiserror::Error)]
pub enum DeidError {
    #[error("去标识化策略文件有误：{0}")]
    BadPolicy(String),
    #[error("文件不是 UTF-8 编码的文本（第{line}行附近无法解码）。请在 WPS/Word 中另存为“纯文本（UTF-8）”后再试。")]
    NotUtf8 { line: usize },
    #[error("文件看起来是二进制文件（含有空字符），不是文本。请选择 .txt 文本文件。")]
    Binary,
    #[error("读取失败：{0}")]
    Io(#[from] std::io::Error),
}

/// Loads the jieba dictionary and the name model now (once per process; on first use otherwise).
pub fn warm_up() {
    names::warm_up();
    tagger::warm_up();
}

/// Texts longer than this are scanned piece by piece.
const PIECE_BYTES: usize = 256 * 1024;

/// Cuts `text` into pieces of about `max` bytes, at a sentence end (。！？； or a line end) where
/// there is one in the last quarter of the piece, else at a character boundary.
fn pieces(text: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() <= max {
            let all = rest;
            rest = "";
            return Some(all);
        }
        let mut cut = max;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut lo = max / 4 * 3;
        while !rest.is_char_boundary(lo) {
            lo -= 1;
        }
        if let Some(i) = rest[lo..cut].rfind(['。', '！', '？', '；', '\n']) {
            let c = rest[lo + i..].chars().next().map_or(1, char::len_utf8);
            cut = lo + i + c;
        }
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// A scanner with its policy's allow rules.
#[derive(Debug, Clone)]
pub struct Scanner {
    policy: Policy,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new(Policy::embedded())
    }
}

/// Keeps the best of overlapping findings (higher confidence, then longer), sorted by start.
fn resolve(mut fs: Vec<Finding>) -> Vec<Finding> {
    fs.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(fs.len());
    let len = fs.iter().map(|f| f.end).max().unwrap_or(0);
    let mut taken = vec![false; len + 1];
    for f in fs {
        if !taken[f.start..f.end].iter().any(|t| *t) {
            taken[f.start..f.end].fill(true);
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.start, f.end));
    kept
}

impl Scanner {
    /// A scanner using `policy`'s allow rules.
    pub fn new(policy: Policy) -> Self {
        Scanner { policy }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Finds personal information in `text`; offsets are code points.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        self.explain(text).findings
    }

    /// Finds personal information in `text` and lists what was kept visible on purpose, each with
    /// its reason. A very long text is scanned in pieces cut at sentence ends, so memory stays
    /// bounded by the piece, not the text.
    pub fn explain(&self, text: &str) -> Scan {
        if text.len() <= PIECE_BYTES {
            return self.explain_piece(text);
        }
        let mut scan = Scan::default();
        let mut offset = 0usize;
        for piece in pieces(text, PIECE_BYTES) {
            let mut s = self.explain_piece(piece);
            for f in &mut s.findings {
                f.start += offset;
                f.end += offset;
            }
            for k in &mut s.kept {
                k.start += offset;
                k.end += offset;
            }
            scan.findings.append(&mut s.findings);
            scan.kept.append(&mut s.kept);
            offset += piece.chars().count();
        }
        scan
    }

    fn explain_piece(&self, text: &str) -> Scan {
        let t = text::Text::new(text);
        let mut out = Vec::new();
        let mut kept = Vec::new();
        detect::structured(&t, &self.policy.allow, &mut out, &mut kept);
        address::addresses(&t, &mut out, &mut kept);
        names::person_names(&t, &self.policy.allow.official_titles, &mut out, &mut kept);
        let findings = resolve(out);
        let mut masked = vec![false; t.len() + 1];
        for f in &findings {
            masked[f.start..f.end].fill(true);
        }
        kept.retain(|k| !masked[k.start..k.end].iter().any(|m| *m));
        kept.sort_by_key(|k| (k.start, k.end));
        Scan { findings, kept }
    }

    /// Scans then masks every finding: the one-step `deid apply` of the CLI.
    pub fn redact(&self, text: &str) -> Applied {
        apply(text, &self.scan(text), &self.policy)
    }

    /// Scans a large text from a reader in chunks of about `chunk_bytes`, so memory stays bounded
    /// whatever the lines' length: a chunk ends at its last line end, else at its last sentence
    /// end (。！？；), else at a character boundary. Calls `each` with every chunk's text, its
    /// code-point offset and its findings (offsets relative to the whole input). A name recurring
    /// in another chunk is found there only by its own cues.
    pub fn scan_reader<R: BufRead>(
        &self,
        mut reader: R,
        chunk_bytes: usize,
        mut each: impl FnMut(&str, usize, Vec<Finding>) -> Result<(), DeidError>,
    ) -> Result<(), DeidError> {
        let chunk_bytes = chunk_bytes.max(64);
        let mut pending: Vec<u8> = Vec::new();
        let mut offset = 0usize;
        let mut lines_done = 0usize;
        let mut emit = |bytes: &[u8], offset: &mut usize, lines_done: &mut usize| {
            let text = std::str::from_utf8(bytes).map_err(|e| DeidError::NotUtf8 {
                line: *lines_done
                    + bytes[..e.valid_up_to()]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                    + 1,
            })?;
            let mut fs = self.scan(text);
            for f in &mut fs {
                f.start += *offset;
                f.end += *offset;
            }
            each(text, *offset, fs)?;
            *offset += text.chars().count();
            *lines_done += bytes.iter().filter(|b| **b == b'\n').count();
            Ok::<(), DeidError>(())
        };
        loop {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                if !pending.is_empty() {
                    emit(&pending, &mut offset, &mut lines_done)?;
                }
                return Ok(());
            }
            if buf.contains(&0) {
                return Err(DeidError::Binary);
            }
            let n = buf.len();
            pending.extend_from_slice(buf);
            reader.consume(n);
            while pending.len() >= chunk_bytes {
                let cut = chunk_cut(&pending[..chunk_bytes]);
                emit(&pending[..cut], &mut offset, &mut lines_done)?;
                pending.drain(..cut);
            }
        }
    }
}

/// Where to end a chunk of `window` (bytes of UTF-8 text): after its last line end, else after
/// its last sentence end in the second half, else at the last character boundary.
fn chunk_cut(window: &[u8]) -> usize {
    if let Some(i) = window.iter().rposition(|b| *b == b'\n') {
        return i + 1;
    }
    let half = window.len() / 2;
    for end in ["。", "！", "？", "；"] {
        let e = end.as_bytes();
        if let Some(i) = window[half..].windows(e.len()).rposition(|w| w == e) {
            return half + i + e.len();
        }
    }
    // The last whole character (a character cut by the window's end waits for the next chunk);
    // bytes that are not UTF-8 at all go to the scan, which reports them.
    match std::str::from_utf8(window) {
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => e.valid_up_to(),
        _ => window.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        Scanner::default()
            .scan(text)
            .into_iter()
            .map(|f| (f.kind, f.text))
            .collect()
    }

    #[test]
    fn numbers_by_kind() {
        let id = checks::id18_complete("37030219900101123");
        let got = kinds(&format!(
            "当事人身份证号{id}，手机13812345678，银行卡号6222 0200 0000 0000 004？"
        ));
        assert!(got.contains(&(Kind::IdCard, id)), "{got:?}");
        assert!(
            got.contains(&(Kind::PhoneMobile, "13812345678".into())),
            "{got:?}"
        );
    }

    #[test]
    fn offsets_are_code_points() {
        let s = "联系电话：13912345678";
        let f = &Scanner::default().scan(s)[0];
        assert_eq!((f.start, f.end), (5, 16));
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.text);
    }
}

#[cfg(test)]
mod decisions {
    //! What the scanner decides on the cases the issue names, each with its reason.
    use super::*;

    fn found(text: &str) -> Vec<(Kind, String)> {
        Scanner::default()
            .scan(text)
            .into_iter()
            .map(|f| (f.kind, f.text))
            .collect()
    }

    fn kept(text: &str) -> Vec<(Kind, String, String)> {
        Scanner::default()
            .explain(text)
            .kept
            .into_iter()
            .map(|k| (k.kind, k.text, k.reason))
            .collect()
    }

    #[test]
    fn typos_are_still_personal_data_with_a_lower_confidence() {
        let good = checks::id18_complete("37030219850505001");
        let mut bad = good.clone();
        bad.replace_range(17.., if good.ends_with('3') { "4" } else { "3" });
        let s = Scanner::default();
        let f = s.scan(&format!("身份证号{bad}，"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].kind, f[0].text.as_str()),
            (Kind::IdCard, bad.as_str())
        );
        assert!(f[0].confidence < 0.9 && f[0].reason.contains("校验位"));
        let nineteen = format!("{}7{}", &good[..10], &good[10..]);
        assert_eq!(
            found(&format!("身份证号码{nineteen}。")),
            vec![(Kind::IdCard, nineteen.clone())]
        );
        assert_eq!(
            found("银行账号6222021234567890124，"),
            vec![(Kind::BankCard, "6222021234567890124".into())]
        );
        assert_eq!(
            found("手机138123456789，"),
            vec![(Kind::PhoneMobile, "138123456789".into())]
        );
        // Without its cue the same digits are just a number.
        assert!(found(&format!("编号{bad}")).is_empty());
    }

    #[test]
    fn plates_and_birth_dates_as_clerks_write_them() {
        for p in [
            "鲁CD12345",
            "鲁C1234警",
            "沪A1234学",
            "粤B1234挂",
            "京A1234领",
            "鲁C·A8866",
        ] {
            assert_eq!(
                found(&format!("驾驶{p}号车辆")),
                vec![(Kind::Plate, p.into())],
                "{p}"
            );
        }
        for d in [
            "1985年3月",
            "85.03.12",
            "一九八五年三月十二日",
            "1985-03-12",
        ] {
            assert_eq!(
                found(&format!("该人{d}出生，")),
                vec![(Kind::BirthDate, d.into())],
                "{d}"
            );
        }
        assert!(found("本协定自2024年3月1日生效。").is_empty());
        assert!(found("本办法自2024年3月1日起施行。").is_empty());
    }

    #[test]
    fn published_contacts_stay_visible_with_a_reason_and_private_lines_do_not() {
        let t = "咨询电话：0533-2138001，监督电话：0533-3181234，紧急情况请拨打110。";
        assert!(found(t).is_empty());
        let k = kept(t);
        assert_eq!(k.len(), 2, "{k:?}");
        assert!(k
            .iter()
            .all(|(kind, _, why)| *kind == Kind::PhoneLandline && why.contains("咨询")));
        assert_eq!(
            found("经联系当事人（住宅电话：0533-6412345），其表示满意。"),
            vec![(Kind::PhoneLandline, "0533-6412345".into())]
        );
        assert!(found("示例：联系电话0000-00000000，请勿拨打。").is_empty());
        // Grouped as printed on letterheads: still one private line.
        for line in ["0571-8765 4321", "（0571）8765-4321", "0571 876 5432"] {
            assert_eq!(
                found(&format!("举报人王女士（住宅电话：{line}）反映情况属实。")),
                vec![(Kind::PhoneLandline, line.into())],
                "{line}"
            );
        }
        assert!(found("传真：0571-8700 1234。").is_empty());
    }

    #[test]
    fn an_estate_with_building_unit_and_room_in_dashes_is_a_home_address() {
        let t = "嫌疑人藏匿于临淄区辛店街道金茵小区15-2-402。";
        assert_eq!(
            found(t),
            vec![(Kind::Address, "临淄区辛店街道金茵小区15-2-402".into())]
        );
        assert!(found("详见附件2-1-3和表3-2-1。").is_empty());
        // With no township to keep, the place reads as 某小区.
        let t = "该案发生在幸福小区3-2-501门口。";
        let scanner = Scanner::default();
        assert_eq!(
            apply(t, &scanner.scan(t), scanner.policy()).text,
            "该案发生在某小区门口。"
        );
        assert_eq!(
            found("台湾居民来往大陆通行证号码12345678，文件编号20260101。"),
            vec![(Kind::TravelPermit, "12345678".into())]
        );
    }

    #[test]
    fn a_table_column_header_is_the_cue_for_the_numbers_under_it() {
        // 370303199001011236 has a wrong check digit (a typing slip in the list): still the
        // person's number, because its column says so.
        let t = "序号\t姓名\t身份证号\t联系电话\n1\t杭明\t370303199001011236\t1390533123\n";
        let f = found(t);
        assert!(
            f.contains(&(Kind::IdCard, "370303199001011236".into())),
            "{f:?}"
        );
        assert!(
            f.contains(&(Kind::PhoneMobile, "1390533123".into())),
            "{f:?}"
        );
        // The same numbers under another header are left alone.
        let t = "序号\t项目\t编号\t金额\n1\t维修\t370303199001011236\t1390533123\n";
        assert!(found(t).is_empty(), "{:?}", found(t));
    }

    #[test]
    fn a_web_address_host_is_a_server_and_a_login_address_is_personal() {
        assert_eq!(
            found("其登录IP地址为192.168.10.25。"),
            vec![(Kind::IpAddress, "192.168.10.25".into())]
        );
        let t = "详见市发改委网站http://192.168.3.120/szfbm/index.html。";
        assert!(found(t).is_empty(), "{:?}", found(t));
        assert_eq!(kept(t).len(), 1, "{:?}", kept(t));
    }

    #[test]
    fn a_card_number_printed_in_groups_is_masked_whole() {
        let t = "受害人的银行卡（卡号6217 0022 3000 1234 567）被盗刷。";
        assert_eq!(
            found(t),
            vec![(Kind::BankCard, "6217 0022 3000 1234 567".into())]
        );
        let scanner = Scanner::default();
        let masked = apply(t, &scanner.scan(t), scanner.policy()).text;
        assert!(masked.contains("卡号**** **** **** ***4 567）"), "{masked}");
    }

    #[test]
    fn a_name_that_is_also_a_word_is_found_where_the_text_describes_a_person() {
        // The words after the name fix its end where the segmenter glued it to them.
        for (t, name) in [
            (
                "经联系毛鸣成本人（家庭电话：0532-50646227），其表示满意。",
                "毛鸣成",
            ),
            (
                "违法行为人袁辉晓在KTV内殴打他人，致曾若红的车辆损坏。",
                "曾若红",
            ),
            ("袁诗珍与邻居发生纠纷，将申建打伤。", "申建"),
        ] {
            assert!(
                found(t).contains(&(Kind::PersonName, name.into())),
                "{name}: {:?}",
                found(t)
            );
        }
        // A dictionary word after a person cue, followed by what describes a person.
        assert!(found("违法嫌疑人高乐（曾用名季阳江），男，1987年出生。")
            .contains(&(Kind::PersonName, "高乐".into())));
        assert!(
            found("违法嫌疑人欧阳佑桂（曾用名金阳），女，1989年出生。").starts_with(&[
                (Kind::PersonName, "欧阳佑桂".into()),
                (Kind::PersonName, "金阳".into())
            ])
        );
        // People named by their relation to someone: 房东, 同事, 邻居; a certificate's subject.
        for (t, name) in [
            ("房东仇国庆将房屋出租给未登记人员。", "仇国庆"),
            ("举报人称其同事庞博长期酒后驾驶。", "庞博"),
            (
                "兹证明于华家（公民身份号码：370302196702219120）系我所辖区常住人口。",
                "于华家",
            ),
        ] {
            assert!(
                found(t).contains(&(Kind::PersonName, name.into())),
                "{name}: {:?}",
                found(t)
            );
        }
        assert!(found("经调解，由范志刚赔偿葛晓丽医疗费等共计3000元。")
            .contains(&(Kind::PersonName, "葛晓丽".into())));
        assert!(found("何某的妻子柏玉洁随后到所。").contains(&(Kind::PersonName, "柏玉洁".into())));
        for t in [
            "邻居反映楼道堆物。",
            "同事们都很支持。",
            "房东出租房屋须登记。",
            "兹证明本单位职工工资情况属实。",
            "父亲节当天举办活动。",
            "赔偿对方经济损失。",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
        // A preposition that is also a surname, then an ordinary word, is not a name.
        assert!(found("其母亲向公安机关报案，其父亲向派出所求助。").is_empty());
        assert!(found("当事人向华强，男。").contains(&(Kind::PersonName, "向华强".into())));
        // Without a description it stays an ordinary word.
        assert!(found("当事人高兴地说，问题已经解决。").is_empty());
        assert!(found("被害人家属，男女老少都到场。").is_empty());
    }

    #[test]
    fn a_verb_the_segmenter_glued_to_a_name_is_not_part_of_it() {
        for (t, names) in [
            (
                "原告任珍，女。原告任珍诉被告蒋紫慧民间借贷纠纷一案。",
                &["任珍", "任珍", "蒋紫慧"][..],
            ),
            ("违法行为人韩冬因琐事与邻居发生纠纷。", &["韩冬"][..]),
            (
                "经多方查找，联系上其家属郑秀。郑秀说，老人有走失史。",
                &["郑秀", "郑秀"][..],
            ),
            ("嫌疑人赵梓豪持护照出境。", &["赵梓豪"][..]),
            (
                "民警拾得钱包一个，内有余思宁的身份证及银行卡。",
                &["余思宁"][..],
            ),
        ] {
            let got: Vec<String> = found(t)
                .into_iter()
                .filter(|(k, _)| *k == Kind::PersonName)
                .map(|(_, n)| n)
                .collect();
            assert_eq!(got, names.to_vec(), "{t}");
        }
    }

    #[test]
    fn a_dotted_or_four_character_name_after_a_cue_is_found_whole() {
        for (t, name) in [
            ("违法嫌疑人买买提·吐尔逊，男，维吾尔族。", "买买提·吐尔逊"),
            (
                "当事人阿依古丽·艾买提在乌鲁木齐市经营餐馆。",
                "阿依古丽·艾买提",
            ),
            ("报警人张王丽萍，女，1960年出生。", "张王丽萍"),
        ] {
            assert_eq!(found(t), vec![(Kind::PersonName, name.into())], "{t}");
        }
        // A model span that stops inside a word of the segmenter's takes the word's rest.
        for (t, name) in [
            ("司马南方驾驶的货车超载。", "司马南方"),
            ("报警人：扎西顿珠，联系电话：18999887766。", "扎西顿珠"),
        ] {
            assert!(
                found(t).contains(&(Kind::PersonName, name.into())),
                "{name}: {:?}",
                found(t)
            );
        }
        assert!(found("当事人双方签字，确认无误。").is_empty());
        assert_eq!(
            found("申请人王小明，男。"),
            vec![(Kind::PersonName, "王小明".into())]
        );
    }

    #[test]
    fn a_foreign_name_after_a_person_cue_is_found_and_keeps_its_initials() {
        assert_eq!(
            found("外籍人员JOHN SMITH于2026年6月入境，当事人Maria Garcia（西班牙籍）在场。"),
            vec![
                (Kind::PersonName, "JOHN SMITH".into()),
                (Kind::PersonName, "Maria Garcia".into())
            ]
        );
        // Words in Latin letters that are not after a person: left alone.
        assert!(
            found("本系统采用WPS Office和GB/T 9704格式；外籍人员管理办法另行制定。").is_empty()
        );
        let t = "当事人JOHN SMITH称，JOHN SMITH的护照已过期。";
        let scanner = Scanner::default();
        let masked = apply(t, &scanner.scan(t), scanner.policy()).text;
        assert!(!masked.contains("SMITH"), "{masked}");
        assert!(masked.starts_with("当事人J. S.称"), "{masked}");
    }

    #[test]
    fn officials_and_legal_representatives_are_kept_with_their_reason() {
        // A list of the agency's own staff after their role, or noted as its staff.
        for t in [
            "主要起草人员：周强、吴磊、郑洁。",
            "参与起草的有周强、吴磊、郑洁（均为治安支队民警）。",
        ] {
            let names: Vec<String> = kept(t).into_iter().map(|(_, n, _)| n).collect();
            assert!(
                found(t).iter().all(|(k, _)| *k != Kind::PersonName),
                "{t}: {:?}",
                found(t)
            );
            assert!(names.contains(&"郑洁".to_string()), "{t}: {names:?}");
        }
        // The same list of parties stays private.
        assert_eq!(
            found("违法嫌疑人周强、吴磊、郑洁等三人。").len(),
            3,
            "{:?}",
            found("违法嫌疑人周强、吴磊、郑洁等三人。")
        );
        let t = "行政相对人名称：淄博鑫源化工有限公司；法定代表人：赵建国；处罚机关：淄博市公安局。会议由市公安局局长马晓东主持。";
        assert!(
            found(t).iter().all(|(k, _)| *k != Kind::PersonName),
            "{:?}",
            found(t)
        );
        let k = kept(t);
        let names: Vec<&str> = k.iter().map(|(_, n, _)| n.as_str()).collect();
        assert!(
            names.contains(&"赵建国") && names.contains(&"马晓东"),
            "{k:?}"
        );
        assert!(k
            .iter()
            .any(|(_, n, why)| n == "赵建国" && why.contains("法定代表人")));
        assert!(k
            .iter()
            .any(|(_, n, why)| n == "马晓东" && why.contains("公职人员")));
    }

    #[test]
    fn lists_and_tables_of_names_are_found_without_cues() {
        let names = |t: &str| -> Vec<String> {
            found(t)
                .into_iter()
                .filter(|(k, _)| *k == Kind::PersonName)
                .map(|(_, n)| n)
                .collect()
        };
        assert_eq!(
            names("经评议，许姗、许静及许国强等三户符合条件，现予公示，公示期7天。"),
            vec!["许姗", "许静", "许国强"]
        );
        let table =
            "序号\t姓名\t性别\t毕业学校\n1\t高　勇\t男\t淄博一中\n2\t钟秀兰\t女\t临淄中学\n";
        assert_eq!(names(table), vec!["高　勇", "钟秀兰"]);
        let pseud = Scanner::default().redact(table);
        assert!(
            pseud.text.contains("高某\t") && pseud.text.contains("钟某某\t"),
            "{}",
            pseud.text
        );
    }

    #[test]
    fn the_model_finds_names_without_cues_and_says_so() {
        let f = Scanner::default().scan("据了解，刘明远当天也出席了发布会。");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].text, "刘明远");
        assert!(f[0].reason.contains("模型得分"), "{}", f[0].reason);
    }

    #[test]
    fn words_that_only_look_like_names_are_left_alone() {
        for t in [
            "本院认为，被告向原告支付货款的义务已届满。",
            "涉案金额共计5万元，申请材料齐全，各项数据勾稽关系正确。",
            "张店区王氏公司、淄川区李家医院、马尚卫生院、高青县刘家中学均已整改。",
            "经营者和群众都比较满意，记者和编辑也到了现场。",
            "当事人住院治疗期间，其家属多次来电。",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
    }

    #[test]
    fn a_name_is_read_whole_where_the_text_shows_its_end_elsewhere() {
        let t = "被告人凌建在明知的情况下提供帮助。凌建在的行为构成犯罪。";
        let names: Vec<String> = found(t).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, vec!["凌建在", "凌建在"]);
        assert_eq!(
            found("被告人李倩倩非法吸收公众存款。"),
            vec![(Kind::PersonName, "李倩倩".into())]
        );
    }

    #[test]
    fn pieces_cut_at_sentence_ends_on_char_boundaries() {
        let text = "甲乙丙。".repeat(1000);
        let ps: Vec<&str> = pieces(&text, 1000).collect();
        assert_eq!(ps.concat(), text);
        assert!(ps.iter().all(|p| p.len() <= 1000 && p.ends_with('。')));
        let odd = "字".repeat(1000);
        assert_eq!(pieces(&odd, 100).collect::<String>(), odd);
    }
}
