//! The publication workflow as a state machine with gates (issue 4's rules, in the core):
//! 拟稿 → 属性已认定 → 解读已同步 → 已去标识化 → 保密审查通过 → 审签中 → 已签发 → 已封装 → 已报送 →
//! 已受理 / 已退文 / 已发布. A step forward is allowed only when its gates are open; each closed gate
//! comes with a Chinese message naming what is missing. A returned document goes back to 拟稿.

use serde::{Deserialize, Serialize};

/// Where a publication is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Drafting,
    AttributeSet,
    InterpretationSynced,
    Deidentified,
    SecrecyCleared,
    InReview,
    Signed,
    Packaged,
    Submitted,
    Accepted,
    Returned,
    Published,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 12] = [
        Stage::Drafting,
        Stage::AttributeSet,
        Stage::InterpretationSynced,
        Stage::Deidentified,
        Stage::SecrecyCleared,
        Stage::InReview,
        Stage::Signed,
        Stage::Packaged,
        Stage::Submitted,
        Stage::Accepted,
        Stage::Returned,
        Stage::Published,
    ];

    /// The stable text stored in the database (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Drafting => "drafting",
            Stage::AttributeSet => "attribute_set",
            Stage::InterpretationSynced => "interpretation_synced",
            Stage::Deidentified => "deidentified",
            Stage::SecrecyCleared => "secrecy_cleared",
            Stage::InReview => "in_review",
            Stage::Signed => "signed",
            Stage::Packaged => "packaged",
            Stage::Submitted => "submitted",
            Stage::Accepted => "accepted",
            Stage::Returned => "returned",
            Stage::Published => "published",
        }
    }

    /// The inverse of [`Stage::as_str`]; the Chinese names are accepted too.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim() || st.label() == s.trim())
    }

    /// The coarse status shown in the document list.
    pub fn doc_status(self) -> crate::DocStatus {
        use crate::DocStatus;
        match self {
            Stage::Drafting
            | Stage::AttributeSet
            | Stage::InterpretationSynced
            | Stage::Deidentified
            | Stage::SecrecyCleared => DocStatus::Draft,
            Stage::InReview => DocStatus::InReview,
            Stage::Signed | Stage::Packaged => DocStatus::Signed,
            Stage::Submitted | Stage::Accepted => DocStatus::Submitted,
            Stage::Returned => DocStatus::Returned,
            Stage::Published => DocStatus::Published,
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Drafting => "拟稿",
            Stage::AttributeSet => "属性已认定",
            Stage::InterpretationSynced => "解读已同步",
            Stage::Deidentified => "已去标识化",
            Stage::SecrecyCleared => "保密审查通过",
            Stage::InReview => "审签中",
            Stage::Signed => "已签发",
            Stage::Packaged => "已封装",
            Stage::Submitted => "已报送",
            Stage::Accepted => "已受理",
            Stage::Returned => "已退文",
            Stage::Published => "已发布",
        }
    }
}

/// What is known about a publication, as the gates need it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Facts {
    /// 公开属性 chosen, with its legal ground where one is required.
    pub attribute_set: bool,
    /// A policy document affecting citizens or enterprises: it needs an interpretation package.
    pub needs_interpretation: bool,
    /// The interpretation package is complete (required sections, forms).
    pub interpretation_complete: bool,
    /// De-identification findings still undecided on the current revision.
    pub deid_pending: u32,
    /// The de-identification review of the current revision has been applied.
    pub deid_applied: bool,
    /// Images of the interpretation package not yet confirmed in the de-identification review.
    pub images_unreviewed: u32,
    /// 保密审查 passed (承办科室, 保密办, 分管领导).
    pub secrecy_cleared: bool,
    /// Unfilled template placeholders (XX, □□□, [此处输入…]) in the document's fields.
    pub placeholders: u32,
    /// The paper sign-off has been recorded.
    pub signoff_recorded: bool,
    /// The document or its package changed after they went for sign-off: the recorded review is
    /// for other revisions.
    pub review_stale: bool,
    /// The document is out for public comment and the loop is not closed far enough to go for
    /// sign-off (window running, comments undecided, feedback not confirmed): why.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub consultation_unfinished: Option<String>,
}

/// One closed gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Gate {
    /// Stable code, e.g. `attribute_missing`.
    pub code: String,
    /// What is missing, in Chinese, for the clerk.
    pub message: String,
}

fn gate(code: &str, message: &str) -> Gate {
    Gate {
        code: code.into(),
        message: message.into(),
    }
}

/// The gates that must be open to reach `to` (each stage also needs those of the stages before).
pub fn closed_gates(to: Stage, f: &Facts) -> Vec<Gate> {
    use Stage::*;
    let mut out = Vec::new();
    let needs = |s: Stage| to >= s;
    if needs(AttributeSet) && !f.attribute_set {
        out.push(gate(
            "attribute_missing",
            "尚未确定公开属性：先确定公开属性，再运转呈签（不予公开或部分公开的，须写明法定理由）。",
        ));
    }
    if needs(InterpretationSynced) && f.needs_interpretation && !f.interpretation_complete {
        out.push(gate(
            "interpretation_incomplete",
            "政策文件须同步提交完整的解读材料（谁起草、谁解读），否则将被退文。",
        ));
    }
    if needs(Deidentified) {
        if f.deid_pending > 0 {
            out.push(gate(
                "deid_pending",
                &format!(
                    "还有{}处个人信息尚未确认，请在去标识化审查中逐条处理。",
                    f.deid_pending
                ),
            ));
        } else if !f.deid_applied {
            out.push(gate(
                "deid_not_applied",
                "当前版本尚未完成去标识化（生成公开文本）。",
            ));
        }
        if f.images_unreviewed > 0 {
            out.push(gate(
                "image_unreviewed",
                &format!(
                    "解读材料中还有{}张图片尚未确认（图片中的姓名、证件号、车牌等须人工核对），请在去标识化审查中逐张确认。",
                    f.images_unreviewed
                ),
            ));
        }
    }
    if needs(SecrecyCleared) && !f.secrecy_cleared {
        out.push(gate("secrecy_not_cleared", "保密审查尚未通过。"));
    }
    if needs(InReview) {
        if let Some(why) = &f.consultation_unfinished {
            out.push(gate("consultation_unfinished", why));
        }
    }
    if needs(InReview) && f.placeholders > 0 {
        out.push(gate(
            "placeholder_unfilled",
            &format!(
                "文件中还有{}处模板占位内容（如 XX、□□□、[此处输入…]）尚未填写，请在“正文”页逐项改为实际内容后再送审签。",
                f.placeholders
            ),
        ));
    }
    if needs(Signed) && !f.signoff_recorded {
        out.push(gate("signoff_missing", "尚未登记签发（审签单签字）结果。"));
    }
    if needs(Signed) && f.review_stale {
        out.push(gate(
            "review_stale",
            "送审签后文件或解读又有修改，签发记录对应的是旧版本：请撤回到拟稿，重新审查、审签。",
        ));
    }
    out
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("不能从“{}”直接转到“{}”。", .0.label(), .1.label())]
    NotAllowed(Stage, Stage),
    #[error("还不能进入“{}”：{}", .0.label(), .1.iter().map(|g| g.message.as_str()).collect::<Vec<_>>().join("；"))]
    Gated(Stage, Vec<Gate>),
    #[error("退文须写明理由。")]
    ReasonRequired,
}

/// The next stage on the main path, if any.
pub fn next(from: Stage) -> Option<Stage> {
    use Stage::*;
    Some(match from {
        Drafting => AttributeSet,
        AttributeSet => InterpretationSynced,
        InterpretationSynced => Deidentified,
        Deidentified => SecrecyCleared,
        SecrecyCleared => InReview,
        InReview => Signed,
        Signed => Packaged,
        Packaged => Submitted,
        Submitted => Accepted,
        Accepted => Published,
        Returned => Drafting,
        Published => return None,
    })
}

/// Whether a document at `from` can go back to 拟稿: withdrawn before it left for the central
/// office, or redrafted after a 退文.
pub fn can_withdraw(from: Stage) -> bool {
    from == Stage::Returned || (from < Stage::Submitted && from != Stage::Drafting)
}

/// What a verified receipt from the central office says about a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 受理.
    Accepted,
    /// 退文.
    Returned,
    /// 已发布.
    Published,
}

/// The stages a document passes through when a receipt with `outcome` arrives while it is at
/// `from`, in order (empty when the receipt changes nothing, e.g. a late 受理 after 已发布).
///
/// A receipt is the office's word, so it moves the document without the unit's gates: a bundle
/// handed over on removable media may be answered before the clerk marked it 已报送, and a
/// 发布 receipt may arrive before the 受理 one. A receipt never moves a document that is still
/// being prepared (before 已封装) or that was returned and is being redrafted.
pub fn receipt_moves(from: Stage, outcome: Outcome) -> Vec<Stage> {
    use Stage::*;
    let target = match outcome {
        Outcome::Accepted => Accepted,
        Outcome::Returned => Returned,
        Outcome::Published => Published,
    };
    if from < Packaged || from == Returned || from == Published {
        return Vec::new();
    }
    if target == Returned {
        return if from == Packaged {
            vec![Submitted, Returned]
        } else {
            vec![Returned]
        };
    }
    let mut out = Vec::new();
    let mut s = from;
    while s < target {
        match next(s) {
            Some(n) => {
                out.push(n);
                s = n;
            }
            None => break,
        }
    }
    out
}

/// Checks a transition: one step forward on the main path with its gates open; 已报送 or 已受理
/// → 已退文 with a reason; 已退文 → 拟稿; back to 拟稿 from any stage before 已报送 (a new
/// revision).
pub fn check_transition(
    from: Stage,
    to: Stage,
    facts: &Facts,
    reason: &str,
) -> Result<(), TransitionError> {
    use Stage::*;
    let allowed = next(from) == Some(to)
        || (matches!(from, Submitted | Accepted) && to == Returned)
        || (to == Drafting && can_withdraw(from));
    if !allowed {
        return Err(TransitionError::NotAllowed(from, to));
    }
    if to == Returned && reason.trim().is_empty() {
        return Err(TransitionError::ReasonRequired);
    }
    if to == Drafting || to == Returned {
        return Ok(());
    }
    let gates = closed_gates(to, facts);
    if gates.is_empty() {
        Ok(())
    } else {
        Err(TransitionError::Gated(to, gates))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stage::*;

    fn all_done() -> Facts {
        Facts {
            attribute_set: true,
            needs_interpretation: true,
            interpretation_complete: true,
            deid_pending: 0,
            deid_applied: true,
            images_unreviewed: 0,
            secrecy_cleared: true,
            placeholders: 0,
            signoff_recorded: true,
            review_stale: false,
            consultation_unfinished: None,
        }
    }

    #[test]
    fn an_unfinished_consultation_holds_the_document_back_from_sign_off() {
        let f = Facts {
            consultation_unfinished: Some("征求意见期未满".into()),
            ..all_done()
        };
        assert!(closed_gates(SecrecyCleared, &f).is_empty());
        let g = closed_gates(InReview, &f);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].code, "consultation_unfinished");
        assert_eq!(g[0].message, "征求意见期未满");
        assert!(!closed_gates(Packaged, &f).is_empty());
    }

    #[test]
    fn placeholders_close_the_way_to_sign_off() {
        let f = Facts {
            placeholders: 2,
            ..all_done()
        };
        assert!(closed_gates(SecrecyCleared, &f).is_empty());
        let gates = closed_gates(InReview, &f);
        assert_eq!(gates.len(), 1);
        assert_eq!(gates[0].code, "placeholder_unfilled");
        assert!(gates[0].message.contains("2处"));
    }

    #[test]
    fn the_main_path_with_everything_done() {
        let f = all_done();
        let mut s = Drafting;
        let mut path = vec![s];
        while let Some(n) = next(s).filter(|_| s != Returned) {
            check_transition(s, n, &f, "").unwrap();
            s = n;
            path.push(s);
        }
        assert_eq!(path.last(), Some(&Published));
        assert_eq!(path.len(), 11);
    }

    #[test]
    fn each_gate_names_what_is_missing() {
        type Case = (fn(&mut Facts), Stage, &'static str);
        let cases: [Case; 8] = [
            (|f| f.review_stale = true, Packaged, "review_stale"),
            (
                |f| f.attribute_set = false,
                AttributeSet,
                "attribute_missing",
            ),
            (|f| f.attribute_set = false, InReview, "attribute_missing"),
            (
                |f| f.interpretation_complete = false,
                Packaged,
                "interpretation_incomplete",
            ),
            (|f| f.deid_pending = 2, Deidentified, "deid_pending"),
            (|f| f.images_unreviewed = 1, Packaged, "image_unreviewed"),
            (
                |f| f.secrecy_cleared = false,
                SecrecyCleared,
                "secrecy_not_cleared",
            ),
            (|f| f.signoff_recorded = false, Packaged, "signoff_missing"),
        ];
        for (spoil, to, code) in cases {
            let mut f = all_done();
            spoil(&mut f);
            let codes: Vec<String> = closed_gates(to, &f).into_iter().map(|g| g.code).collect();
            assert_eq!(codes, vec![code.to_string()], "{to:?}");
        }
        let mut f = all_done();
        f.attribute_set = false;
        let err = check_transition(SecrecyCleared, InReview, &f, "").unwrap_err();
        assert!(
            err.to_string().contains("先确定公开属性，再运转呈签"),
            "{err}"
        );
    }

    #[test]
    fn receipts_move_the_document_along_the_path_they_imply() {
        assert_eq!(
            receipt_moves(Packaged, Outcome::Accepted),
            vec![Submitted, Accepted]
        );
        assert_eq!(receipt_moves(Submitted, Outcome::Accepted), vec![Accepted]);
        assert_eq!(
            receipt_moves(Submitted, Outcome::Published),
            vec![Accepted, Published]
        );
        assert_eq!(
            receipt_moves(Packaged, Outcome::Returned),
            vec![Submitted, Returned]
        );
        assert_eq!(receipt_moves(Accepted, Outcome::Returned), vec![Returned]);
        // Late or stray receipts change nothing.
        assert!(receipt_moves(Published, Outcome::Accepted).is_empty());
        assert!(receipt_moves(Accepted, Outcome::Accepted).is_empty());
        assert!(receipt_moves(Returned, Outcome::Accepted).is_empty());
        assert!(receipt_moves(Signed, Outcome::Accepted).is_empty());
        assert!(receipt_moves(Drafting, Outcome::Published).is_empty());
        // Every move is one the workflow allows.
        for from in Stage::ALL {
            for o in [Outcome::Accepted, Outcome::Returned, Outcome::Published] {
                let mut s = from;
                for to in receipt_moves(from, o) {
                    check_transition(s, to, &all_done(), "回执").unwrap();
                    s = to;
                }
            }
        }
    }

    #[test]
    fn withdrawal_is_allowed_before_submission_and_after_a_return() {
        assert!(!can_withdraw(Drafting));
        assert!(can_withdraw(InReview) && can_withdraw(Signed) && can_withdraw(Packaged));
        assert!(!can_withdraw(Submitted) && !can_withdraw(Accepted) && !can_withdraw(Published));
        assert!(can_withdraw(Returned));
    }

    #[test]
    fn stages_round_trip_and_map_to_list_status() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
            assert_eq!(Stage::parse(s.label()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(Stage::SecrecyCleared.doc_status(), crate::DocStatus::Draft);
        assert_eq!(Stage::Returned.doc_status(), crate::DocStatus::Returned);
    }

    #[test]
    fn a_document_needing_no_interpretation_passes_that_gate() {
        let f = Facts {
            needs_interpretation: false,
            interpretation_complete: false,
            ..all_done()
        };
        assert!(closed_gates(Packaged, &f).is_empty());
    }

    #[test]
    fn returns_skips_and_withdrawals() {
        let f = all_done();
        assert_eq!(
            check_transition(Submitted, Returned, &f, " "),
            Err(TransitionError::ReasonRequired)
        );
        check_transition(Submitted, Returned, &f, "缺少解读材料").unwrap();
        check_transition(Returned, Drafting, &Facts::default(), "").unwrap();
        check_transition(InReview, Drafting, &Facts::default(), "").unwrap();
        assert!(matches!(
            check_transition(Drafting, Signed, &f, ""),
            Err(TransitionError::NotAllowed(..))
        ));
        assert!(matches!(
            check_transition(Submitted, Drafting, &f, ""),
            Err(TransitionError::NotAllowed(..))
        ));
    }
}
