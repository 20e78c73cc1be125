//! Writes the sample policy document and its interpretation as .docx into a folder, for a look
//! (`cargo run -p gongkai-docx --example dump DIR`).

use chrono::NaiveDate;
use gongkai_core::{Attribute, DocFields, DocType};
use gongkai_docx::export::{export_interpretation, export_policy, ExportOptions};

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let body: Vec<String> = (1..=12)
        .flat_map(|i| {
            [
                format!("{}、第{i}部分的工作要求", gongkai_core::body::format_cn_number(i)),
                format!("（一）明确责任分工。各分局、各支队要按照职责分工，认真落实第{i}项任务，确保各项措施落到实处。"),
                "1.加强组织领导。各单位主要负责同志要亲自研究部署，及时协调解决工作中遇到的困难和问题。".to_string(),
            ]
        })
        .collect();
    let f = DocFields {
        doc_type: DocType::Normative,
        issuing_authority: "淄博市公安局".into(),
        doc_number: "淄公发〔2026〕12号".into(),
        title: "淄博市公安局关于进一步优化户籍迁移登记服务的通知".into(),
        main_recipients: "各区县公安分局，市局各部门".into(),
        cc: "市政府办公室，市司法局".into(),
        date_written: NaiveDate::from_ymd_opt(2026, 3, 5),
        attachments: vec!["户籍迁移材料清单".into(), "办理流程图".into()],
        body,
        printing_office: "淄博市公安局办公室".into(),
        printed_on: NaiveDate::from_ymd_opt(2026, 3, 6),
        ..Default::default()
    };
    let opts = ExportOptions {
        attribute: Some(Attribute::Active),
        created_on: NaiveDate::from_ymd_opt(2026, 3, 6),
    };
    let b = export_policy(&f, &opts).expect("export");
    std::fs::write(dir.join("policy.docx"), b).expect("write");
    let pkg = gongkai_core::Package {
        interpreter: "王晓明".into(),
        interpreter_unit: "治安支队".into(),
        ..Default::default()
    };
    let b = export_interpretation(&pkg, &f.title, "治安支队", opts.created_on, &|_| None)
        .expect("export");
    std::fs::write(dir.join("interpretation.docx"), b).expect("write");
}
