//! The disclosure attribute (公开属性) of a document with its legal ground, its channels and its
//! place in the disclosure catalogue; the confidentiality review (保密审查); and the law and
//! catalogue datasets they are chosen from (`seeds/disclosure-law.json`,
//! `seeds/disclosure-catalog.json`).
//!
//! 先确定公开属性，再运转呈签: the attribute is settled, with the ground from the regulation for
//! 不予公开 and 部分公开 (第十四至十六条, 第三十七条), before the sign-off form can be printed.

use crate::interpretation::Reach;
use serde::{Deserialize, Serialize};

/// 公开属性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    /// 主动公开
    Active,
    /// 依申请公开
    OnRequest,
    /// 不予公开
    Withheld,
    /// 部分公开（区分处理）
    Partial,
}

impl Attribute {
    /// Every attribute, in the order shown.
    pub const ALL: [Attribute; 4] = [
        Attribute::Active,
        Attribute::OnRequest,
        Attribute::Withheld,
        Attribute::Partial,
    ];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Attribute::Active => "主动公开",
            Attribute::OnRequest => "依申请公开",
            Attribute::Withheld => "不予公开",
            Attribute::Partial => "部分公开",
        }
    }

    /// The 附注 printed on the document (GB/T 9704 7.3.6).
    pub fn document_mark(self) -> &'static str {
        match self {
            Attribute::Active | Attribute::Partial => "（此件公开发布）",
            Attribute::OnRequest => "（此件依申请公开）",
            Attribute::Withheld => "（此件不予公开）",
        }
    }

    /// Whether the document is published proactively (in whole or in part).
    pub fn is_published(self) -> bool {
        matches!(self, Attribute::Active | Attribute::Partial)
    }

    /// Whether a legal ground from the regulation is required.
    pub fn needs_ground(self) -> bool {
        matches!(self, Attribute::Withheld | Attribute::Partial)
    }

    /// The stable text stored and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Active => "active",
            Attribute::OnRequest => "on_request",
            Attribute::Withheld => "withheld",
            Attribute::Partial => "partial",
        }
    }

    /// The inverse of [`Attribute::as_str`]; the Chinese names are accepted too.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s.trim() || a.label() == s.trim())
    }
}

/// 公开方式 / channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 政府网站信息公开专栏
    Website,
    /// 政务新媒体（微信公众号、微博、抖音）
    NewMedia,
    /// 公开查阅点
    ReadingRoom,
    /// 报刊、广播、电视
    Press,
    /// 新闻发布会
    PressConference,
    /// 政务服务场所、公开栏
    NoticeBoard,
}

impl Channel {
    /// Every channel, in the order shown.
    pub const ALL: [Channel; 6] = [
        Channel::Website,
        Channel::NewMedia,
        Channel::ReadingRoom,
        Channel::Press,
        Channel::PressConference,
        Channel::NoticeBoard,
    ];

    /// The Chinese name (第二十三条's channels).
    pub fn label(self) -> &'static str {
        match self {
            Channel::Website => "政府网站信息公开专栏",
            Channel::NewMedia => "政务新媒体",
            Channel::ReadingRoom => "公开查阅点",
            Channel::Press => "报刊、广播、电视",
            Channel::PressConference => "新闻发布会",
            Channel::NoticeBoard => "政务服务场所、公开栏",
        }
    }

    /// The inverse of the serde name (`website`, `new_media`, …).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(|v| v == s.trim()))
                .unwrap_or(false)
                || c.label() == s.trim()
        })
    }
}

/// The attribute of one document as the clerk settled it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Disclosure {
    pub attribute: Attribute,
    /// Ground ids: `grounds.withhold[*].id` for 不予公开, `grounds.partial.reasons[*].id` for 部分公开;
    /// may also be given for 依申请公开.
    #[serde(default)]
    pub grounds: Vec<String>,
    /// The concrete reason, in the clerk's words (which part, why).
    #[serde(default)]
    pub reason: String,
    /// The statute a `requires` ground names (e.g. 法律、行政法规名称及条款).
    #[serde(default)]
    pub ground_detail: String,
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Catalogue item id, e.g. `C06`.
    #[serde(default)]
    pub catalog_item: Option<String>,
    #[serde(default)]
    pub reach: Reach,
}

/// One legal ground, with the article text shown to the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Ground {
    pub id: String,
    pub label: String,
    /// 第十四条, 第十六条第二款 …
    pub article: String,
    /// The clause as the dataset quotes it.
    pub clause: String,
    /// The whole article text.
    pub article_text: String,
    /// What else must be written, when the ground needs a detail (e.g. the statute's name).
    pub requires: Option<String>,
    /// 可以不予公开 (第十六条) rather than 不得/不予公开.
    pub discretionary: bool,
}

/// One item of the disclosure catalogue (政府信息公开目录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CatalogItem {
    pub id: String,
    /// 一级/二级/三级 joined by `/`.
    pub path: String,
    pub content: Vec<String>,
    /// 责任主体
    pub responsible: Vec<String>,
    pub channel: String,
    /// 实时更新 / 定期更新 …
    pub update: String,
    /// 原创 / 转发
    pub origin: Vec<String>,
}

/// The law and catalogue datasets, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LawBook {
    /// 第十四至十六条: the 9 grounds for 不予公开.
    pub withhold: Vec<Ground>,
    /// 第三十七条: the 10 reasons for 部分公开.
    pub partial: Vec<Ground>,
    pub catalog: Vec<CatalogItem>,
}

/// Why a dataset cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("公开依据数据有误：{0}")]
pub struct LawError(pub String);

mod raw {
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Law {
        pub grounds: Grounds,
        pub articles: Vec<Article>,
    }
    #[derive(Deserialize)]
    pub struct Grounds {
        pub withhold: Vec<Ground>,
        pub partial: Partial,
    }
    #[derive(Deserialize)]
    pub struct Partial {
        pub reasons: Vec<Ground>,
    }
    #[derive(Deserialize)]
    pub struct Ground {
        pub id: String,
        pub label: String,
        pub article: String,
        pub clause: String,
        pub requires: Option<String>,
        #[serde(default)]
        pub mandatory: Option<bool>,
    }
    #[derive(Deserialize)]
    pub struct Article {
        pub article: String,
        pub text: String,
    }
    #[derive(Deserialize)]
    pub struct Catalog {
        pub items: Vec<Item>,
    }
    #[derive(Deserialize)]
    pub struct Item {
        pub id: String,
        pub path: String,
        #[serde(default)]
        pub content: Vec<String>,
        #[serde(default)]
        pub responsible: Vec<String>,
        #[serde(default)]
        pub channel: Option<String>,
        #[serde(default)]
        pub timing: Option<Timing>,
    }
    #[derive(Deserialize)]
    pub struct Timing {
        #[serde(default)]
        pub update: Option<String>,
        #[serde(default)]
        pub content_origin: Vec<String>,
        #[serde(default)]
        pub raw: String,
    }
}

impl LawBook {
    /// Reads `disclosure-law.json` and `disclosure-catalog.json`.
    pub fn from_json(law: &str, catalog: &str) -> Result<Self, LawError> {
        let law: raw::Law = serde_json::from_str(law).map_err(|e| LawError(e.to_string()))?;
        let cat: raw::Catalog =
            serde_json::from_str(catalog).map_err(|e| LawError(e.to_string()))?;
        let article_text = |article: &str| -> String {
            // "第十六条第二款" and "第二条、第三十七条" name articles by their leading 第…条.
            article
                .split('、')
                .filter_map(|a| {
                    let head = a.split_inclusive('条').next()?;
                    law.articles
                        .iter()
                        .find(|x| x.article == head)
                        .map(|x| format!("{}　{}", x.article, x.text))
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let ground = |g: raw::Ground| Ground {
            article_text: article_text(&g.article),
            discretionary: g.article.starts_with("第十六条") || g.mandatory == Some(false),
            id: g.id,
            label: g.label,
            article: g.article,
            clause: g.clause,
            requires: g.requires,
        };
        let withhold: Vec<Ground> = law.grounds.withhold.into_iter().map(ground).collect();
        let partial: Vec<Ground> = law
            .grounds
            .partial
            .reasons
            .into_iter()
            .map(|g| {
                let mut out = ground(g);
                // A partial reason carries the withhold ground's detail requirement.
                if out.requires.is_none() {
                    out.requires = withhold
                        .iter()
                        .find(|w| format!("partial:{}", w.id) == out.id)
                        .and_then(|w| w.requires.clone());
                }
                out
            })
            .collect();
        if withhold.iter().any(|g| g.article_text.is_empty())
            || partial.iter().any(|g| g.article_text.is_empty())
        {
            return Err(LawError("有法定理由找不到对应的条文".into()));
        }
        let catalog = cat
            .items
            .into_iter()
            .map(|i| {
                let (update, origin) = match i.timing {
                    Some(t) => (t.update.unwrap_or(t.raw), t.content_origin),
                    None => (String::new(), Vec::new()),
                };
                CatalogItem {
                    id: i.id,
                    path: i.path,
                    content: i.content,
                    responsible: i.responsible,
                    channel: i.channel.unwrap_or_default(),
                    update,
                    origin,
                }
            })
            .collect();
        Ok(LawBook {
            withhold,
            partial,
            catalog,
        })
    }

    /// The grounds the clerk may pick for an attribute.
    pub fn grounds_for(&self, a: Attribute) -> &[Ground] {
        match a {
            Attribute::Withheld | Attribute::OnRequest => &self.withhold,
            Attribute::Partial => &self.partial,
            Attribute::Active => &[],
        }
    }

    /// A ground by id, in either list.
    pub fn ground(&self, id: &str) -> Option<&Ground> {
        self.withhold
            .iter()
            .chain(self.partial.iter())
            .find(|g| g.id == id)
    }
}

/// One problem with a disclosure record, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DisclosureIssue {
    /// `grounds`, `reason`, `ground_detail`, `channels`, `catalog_item`.
    pub field: String,
    pub message: String,
}

fn di(field: &str, message: impl Into<String>) -> DisclosureIssue {
    DisclosureIssue {
        field: field.into(),
        message: message.into(),
    }
}

/// What is missing or wrong in a disclosure record; empty means it can be settled.
pub fn check_disclosure(d: &Disclosure, law: &LawBook) -> Vec<DisclosureIssue> {
    let mut out = Vec::new();
    let allowed = law.grounds_for(d.attribute);
    if d.attribute.needs_ground() && d.grounds.is_empty() {
        out.push(di(
            "grounds",
            format!(
                "“{}”必须注明《政府信息公开条例》规定的法定理由，请从列表中选择。",
                d.attribute.label()
            ),
        ));
    }
    if d.attribute == Attribute::Active && !d.grounds.is_empty() {
        out.push(di(
            "grounds",
            "主动公开的信息不需要不予公开的理由，请清除所选理由或改选其他属性。",
        ));
    }
    for g in &d.grounds {
        if !allowed.iter().any(|a| &a.id == g) {
            out.push(di(
                "grounds",
                format!("理由“{g}”不适用于“{}”，请重新选择。", d.attribute.label()),
            ));
        }
    }
    if d.attribute.needs_ground() && d.reason.trim().chars().count() < 6 {
        out.push(di(
            "reason",
            "请写明具体理由：哪些内容不公开、为什么（不少于6个字）。",
        ));
    }
    if d.reason.chars().count() > 1000 {
        out.push(di("reason", "理由过长（不超过1000字）。"));
    }
    let needs_detail = d
        .grounds
        .iter()
        .filter_map(|g| law.ground(g))
        .find_map(|g| g.requires.clone());
    if let Some(what) = needs_detail {
        if d.ground_detail.trim().is_empty() {
            out.push(di("ground_detail", format!("所选理由要求：{what}。")));
        }
    }
    if d.attribute.is_published() {
        if d.channels.is_empty() {
            out.push(di(
                "channels",
                "请选择公开方式（至少一种，如政府网站信息公开专栏）。",
            ));
        }
        match &d.catalog_item {
            None => out.push(di(
                "catalog_item",
                "请选择该信息在政府信息公开目录中的位置（如“政策法规/政策文件”）。",
            )),
            Some(id) if !law.catalog.iter().any(|c| &c.id == id) => out.push(di(
                "catalog_item",
                format!("目录项“{id}”不存在，请重新选择。"),
            )),
            _ => {}
        }
    }
    out
}

/// The 保密办's conclusion (保密审查意见).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SecrecyConclusion {
    /// 同意公开
    Approve,
    /// 区分处理后公开
    ApproveRedacted,
    /// 不予公开
    Refuse,
    /// 需报保密行政管理部门确定
    Escalate,
}

impl SecrecyConclusion {
    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            SecrecyConclusion::Approve => "同意公开",
            SecrecyConclusion::ApproveRedacted => "区分处理后公开",
            SecrecyConclusion::Refuse => "不予公开",
            SecrecyConclusion::Escalate => "需报保密行政管理部门确定",
        }
    }
}

/// One signed opinion of the review chain.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct Opinion {
    pub name: String,
    pub opinion: String,
    /// `YYYY-MM-DD`
    pub date: String,
}

impl Opinion {
    fn filled(&self) -> bool {
        !self.name.trim().is_empty() && !self.date.trim().is_empty()
    }
}

/// 政府信息公开保密审查: the opinions of the 承办科室, the 保密 office and the leader in charge, and the
/// checklist of review points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SecrecyReview {
    /// 承办科室意见
    pub section: Opinion,
    /// 保密办（保密员）意见
    pub secrecy_office: Opinion,
    pub conclusion: SecrecyConclusion,
    /// 分管领导意见
    pub leader: Opinion,
    /// The six 审查要点 confirmed (国家秘密、工作秘密、商业秘密、个人隐私、三安全一稳定、法律禁止).
    pub checklist: [bool; 6],
}

/// The six review points, in the order of [`SecrecyReview::checklist`].
pub const SECRECY_CHECKLIST: [&str; 6] = [
    "不涉及国家秘密",
    "不涉及工作秘密、内部敏感信息",
    "不涉及商业秘密",
    "不涉及个人隐私，或已去标识化",
    "公开后不危及国家安全、公共安全、经济安全、社会稳定",
    "不属于法律、行政法规禁止公开的信息",
];

/// What keeps a secrecy review from passing; empty means it passed.
pub fn check_secrecy(r: &SecrecyReview, attribute: Option<Attribute>) -> Vec<String> {
    let mut out = Vec::new();
    for (o, who) in [
        (&r.section, "承办科室"),
        (&r.secrecy_office, "保密办"),
        (&r.leader, "分管领导"),
    ] {
        if !o.filled() {
            out.push(format!("缺少{who}的审查意见（姓名和日期）。"));
        } else if chrono::NaiveDate::parse_from_str(o.date.trim(), "%Y-%m-%d").is_err() {
            out.push(format!("{who}意见的日期“{}”格式应为 YYYY-MM-DD。", o.date));
        }
    }
    match r.conclusion {
        SecrecyConclusion::Refuse => {
            if attribute != Some(Attribute::Withheld) {
                out.push("保密办意见为“不予公开”：请将公开属性改为“不予公开”并写明理由。".into())
            }
        }
        SecrecyConclusion::Escalate => {
            out.push("保密办意见为“需报保密行政管理部门确定”：请在确定后再登记审查结果。".into())
        }
        SecrecyConclusion::ApproveRedacted => {
            if attribute != Some(Attribute::Partial) {
                out.push(
                    "保密办意见为“区分处理后公开”：请将公开属性改为“部分公开”并注明理由。".into(),
                )
            }
        }
        SecrecyConclusion::Approve => {}
    }
    if r.conclusion != SecrecyConclusion::Refuse {
        for (i, ok) in r.checklist.iter().enumerate() {
            if !ok {
                out.push(format!("审查要点“{}”尚未确认。", SECRECY_CHECKLIST[i]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn law() -> LawBook {
        LawBook::from_json(
            include_str!("../../../seeds/disclosure-law.json"),
            include_str!("../../../seeds/disclosure-catalog.json"),
        )
        .unwrap()
    }

    fn active() -> Disclosure {
        Disclosure {
            attribute: Attribute::Active,
            grounds: vec![],
            reason: String::new(),
            ground_detail: String::new(),
            channels: vec![Channel::Website],
            catalog_item: Some("C06".into()),
            reach: Reach::default(),
        }
    }

    #[test]
    fn the_seeded_law_has_9_grounds_10_reasons_36_items_with_article_text() {
        let l = law();
        assert_eq!(l.withhold.len(), 9);
        assert_eq!(l.partial.len(), 10);
        assert_eq!(l.catalog.len(), 36);
        let secret = l.ground("art14-state-secret").unwrap();
        assert!(
            secret.article_text.starts_with("第十四条"),
            "{}",
            secret.article_text
        );
        assert!(secret.article_text.contains("依法确定为国家秘密的政府信息"));
        assert!(!secret.discretionary);
        assert!(l.ground("art16-process-info").unwrap().discretionary);
        let not_gov = l.ground("partial:not-government-information").unwrap();
        assert!(
            not_gov.article_text.contains("第二条") && not_gov.article_text.contains("第三十七条")
        );
        assert!(l
            .ground("partial:art14-prohibited-by-law")
            .unwrap()
            .requires
            .is_some());
        let c06 = l.catalog.iter().find(|c| c.id == "C06").unwrap();
        assert_eq!(c06.path, "政策法规/政策文件");
        assert!(!c06.responsible.is_empty() && !c06.update.is_empty());
    }

    #[test]
    fn active_needs_channel_and_catalogue_item() {
        let l = law();
        assert!(check_disclosure(&active(), &l).is_empty());
        let mut d = active();
        d.channels.clear();
        d.catalog_item = Some("C99".into());
        let fields: Vec<String> = check_disclosure(&d, &l)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, vec!["channels", "catalog_item"]);
    }

    #[test]
    fn withheld_and_partial_need_a_ground_of_their_own_list_and_a_reason() {
        let l = law();
        let mut d = Disclosure {
            attribute: Attribute::Withheld,
            channels: vec![],
            catalog_item: None,
            ..active()
        };
        let fields: Vec<String> = check_disclosure(&d, &l)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, vec!["grounds", "reason"]);
        d.grounds = vec!["partial:art15-personal-privacy".into()];
        d.reason = "文件涉及当事人个人隐私".into();
        let issues = check_disclosure(&d, &l);
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message.contains("不适用于“不予公开”"));
        d.grounds = vec!["art14-prohibited-by-law".into()];
        let issues = check_disclosure(&d, &l);
        assert_eq!(issues[0].field, "ground_detail");
        d.ground_detail = "《中华人民共和国保守国家秘密法》第二条".into();
        assert!(check_disclosure(&d, &l).is_empty());

        let mut p = active();
        p.attribute = Attribute::Partial;
        p.grounds = vec!["partial:art15-personal-privacy".into()];
        p.reason = "附件名单中的姓名、身份证号已去标识化".into();
        assert!(check_disclosure(&p, &l).is_empty());
    }

    #[test]
    fn attributes_parse_in_both_languages_and_carry_their_mark() {
        assert_eq!(Attribute::parse("partial"), Some(Attribute::Partial));
        assert_eq!(Attribute::parse("依申请公开"), Some(Attribute::OnRequest));
        assert_eq!(Attribute::parse("x"), None);
        assert_eq!(Attribute::Withheld.document_mark(), "（此件不予公开）");
        assert_eq!(Channel::parse("new_media"), Some(Channel::NewMedia));
        assert_eq!(
            Channel::parse("政府网站信息公开专栏"),
            Some(Channel::Website)
        );
    }

    #[test]
    fn secrecy_review_passes_only_when_complete_and_consistent() {
        let o = |n: &str| Opinion {
            name: n.into(),
            opinion: "同意".into(),
            date: "2026-03-02".into(),
        };
        let mut r = SecrecyReview {
            section: o("张科长"),
            secrecy_office: o("王保密员"),
            conclusion: SecrecyConclusion::Approve,
            leader: o("刘局长"),
            checklist: [true; 6],
        };
        assert!(check_secrecy(&r, Some(Attribute::Active)).is_empty());
        r.conclusion = SecrecyConclusion::ApproveRedacted;
        assert_eq!(check_secrecy(&r, Some(Attribute::Active)).len(), 1);
        assert!(check_secrecy(&r, Some(Attribute::Partial)).is_empty());
        r.leader.date = "3月2日".into();
        r.checklist[3] = false;
        let msgs = check_secrecy(&r, Some(Attribute::Partial));
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[1].contains("个人隐私"));
    }
}
