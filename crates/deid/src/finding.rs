//! What a scan reports: a [`Finding`] of one [`Kind`] at code-point offsets.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of personal information Gongkai looks for. The serde names are stable (CLI, JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    IdCard,
    PhoneMobile,
    PhoneLandline,
    BankCard,
    Plate,
    Email,
    IpAddress,
    Qq,
    Wechat,
    Passport,
    TravelPermit,
    UsccIndividual,
    BirthDate,
    PersonName,
    Address,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 15] = [
        Kind::PersonName,
        Kind::IdCard,
        Kind::PhoneMobile,
        Kind::PhoneLandline,
        Kind::Address,
        Kind::BankCard,
        Kind::Plate,
        Kind::BirthDate,
        Kind::Email,
        Kind::IpAddress,
        Kind::Qq,
        Kind::Wechat,
        Kind::Passport,
        Kind::TravelPermit,
        Kind::UsccIndividual,
    ];

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::IdCard => "id_card",
            Kind::PhoneMobile => "phone_mobile",
            Kind::PhoneLandline => "phone_landline",
            Kind::BankCard => "bank_card",
            Kind::Plate => "plate",
            Kind::Email => "email",
            Kind::IpAddress => "ip_address",
            Kind::Qq => "qq",
            Kind::Wechat => "wechat",
            Kind::Passport => "passport",
            Kind::TravelPermit => "travel_permit",
            Kind::UsccIndividual => "uscc_individual",
            Kind::BirthDate => "birth_date",
            Kind::PersonName => "person_name",
            Kind::Address => "address",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name shown to the clerk.
    pub fn label(self) -> &'static str {
        match self {
            Kind::IdCard => "居民身份证号",
            Kind::PhoneMobile => "手机号码",
            Kind::PhoneLandline => "固定电话",
            Kind::BankCard => "银行卡号",
            Kind::Plate => "车牌号码",
            Kind::Email => "电子邮箱",
            Kind::IpAddress => "IP地址",
            Kind::Qq => "QQ号",
            Kind::Wechat => "微信号",
            Kind::Passport => "护照号码",
            Kind::TravelPermit => "通行证号码",
            Kind::UsccIndividual => "个体工商户信用代码",
            Kind::BirthDate => "出生日期",
            Kind::PersonName => "自然人姓名",
            Kind::Address => "住址",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of personal information found in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: Kind,
    /// Start, in Unicode code points.
    pub start: usize,
    /// End (exclusive), in Unicode code points.
    pub end: usize,
    /// The text of the span as written.
    pub text: String,
    /// 0–1.
    pub confidence: f32,
    /// Why it was flagged, in Chinese.
    pub reason: String,
    /// The clerk's own replacement; `None` applies the policy's operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

/// Something that looked like personal information and was deliberately left visible (an
/// official named in office, a published office number, a 双公示 legal representative, an agency
/// address), with the reason: the other half of the scanner's explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    /// The kind it resembles.
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Why it stays visible, in Chinese.
    pub reason: String,
}

/// A scan with its explanation: what to mask and what was kept visible on purpose.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    pub findings: Vec<Finding>,
    pub kept: Vec<Kept>,
}
