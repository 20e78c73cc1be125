//! Documents in and out, timed: GB/T 9704 .docx export of a 30-page policy document and of a
//! 10-page interpretation, the three review-form PDFs, and the import of the exported .docx.
//! Prints medians over repeated runs and the sizes; with LibreOffice installed, also the page
//! counts the exports really lay out to. Run by `scripts/bench.sh` (release build).
//!
//! Usage: `bench_files [RUNS=30]`

use anyhow::Result;
use chrono::{NaiveDate, TimeZone, Utc};
use gongkai_core::{Attribute, Channel, Disclosure, DocFields, DocType, Reach};
use gongkai_docx::export::{export_interpretation, export_policy, ExportOptions};
use gongkai_forms::{render, FormData, FormKind};
use gongkai_tests::{long_package, text_of, time};

fn pages(path: &std::path::Path) -> Option<String> {
    let dir = path.parent()?;
    let ok = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}/lo", dir.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(path)
        .output()
        .ok()?
        .status
        .success();
    if !ok {
        return None;
    }
    let info = std::process::Command::new("pdfinfo")
        .arg(path.with_extension("pdf"))
        .output()
        .ok()?;
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .find(|l| l.starts_with("Pages:"))
        .map(|l| l.trim_start_matches("Pages:").trim().to_string())
}

fn main() -> Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(30);
    let dir = std::env::temp_dir().join(format!("gongkai-bench-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let fields = DocFields {
        doc_type: DocType::Normative,
        issuing_authority: "淄博市公安局".into(),
        doc_number: "淄公发〔2026〕12号".into(),
        title: "淄博市公安局关于进一步规范旅馆业治安管理信息登记工作的通知".into(),
        main_recipients: "各区县公安分局，市局各部门".into(),
        cc: "市司法局".into(),
        date_written: NaiveDate::from_ymd_opt(2026, 3, 5),
        body: text_of(30, 0),
        printing_office: "淄博市公安局办公室".into(),
        printed_on: NaiveDate::from_ymd_opt(2026, 3, 6),
        ..Default::default()
    };
    let package = long_package();
    let opts = ExportOptions {
        attribute: Some(Attribute::Active),
        created_on: NaiveDate::from_ymd_opt(2026, 3, 6),
    };

    let (ms, policy) = time(runs, || export_policy(&fields, &opts));
    let policy = policy?;
    let p_path = dir.join("policy-30.docx");
    std::fs::write(&p_path, &policy)?;
    println!(
        "export policy (30 pages aimed): median {ms:.1} ms, {} KB, {} pages laid out by LibreOffice",
        policy.len() / 1024,
        pages(&p_path).unwrap_or_else(|| "?".into())
    );
    let (ms, interp) = time(runs, || {
        export_interpretation(
            &package,
            &fields.title,
            "治安支队",
            opts.created_on,
            &|_| None,
        )
    });
    let interp = interp?;
    let i_path = dir.join("interpretation-10.docx");
    std::fs::write(&i_path, &interp)?;
    println!(
        "export interpretation (10 pages aimed): median {ms:.1} ms, {} KB, {} pages laid out by LibreOffice",
        interp.len() / 1024,
        pages(&i_path).unwrap_or_else(|| "?".into())
    );
    let (ms, back) = time(runs, || gongkai_docx::import::import_docx(&policy));
    println!(
        "import the exported policy: median {ms:.1} ms, {} body paragraphs",
        back?.fields.body.len()
    );

    let data = FormData {
        org_name: "淄博市公安局".into(),
        unit_name: "治安支队".into(),
        clerk_name: "王晓明".into(),
        printed_at: Utc
            .with_ymd_and_hms(2026, 3, 5, 2, 0, 0)
            .single()
            .unwrap_or_default(),
        form_no: "FW-20260305-0001".into(),
        doc_id: "0190f3c0-0000-7000-8000-000000000001".into(),
        rev_id: "0190f3c0-0000-7000-8000-000000000002".into(),
        rev_no: 7,
        content_sha256: fields.content_hash(),
        disclosure: Some(Disclosure {
            attribute: Attribute::Active,
            grounds: vec![],
            reason: String::new(),
            ground_detail: String::new(),
            channels: vec![Channel::Website, Channel::NewMedia],
            catalog_item: Some("C06".into()),
            reach: Reach {
                affects_public: true,
                ..Default::default()
            },
        }),
        package: Some(package.clone()),
        package_rev_id: Some("0190f3c0-0000-7000-8000-000000000003".into()),
        package_rev_no: Some(3),
        fields: fields.clone(),
        ..Default::default()
    };
    for kind in FormKind::ALL {
        let (ms, pdf) = time(runs, || render(kind, &data));
        let pdf = pdf.map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "form {}: median {ms:.1} ms, {:.1} KB",
            kind.label(),
            pdf.len() as f64 / 1024.0
        );
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
