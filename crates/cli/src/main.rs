//! `gongkai`: headless use of the same API the desktop app calls.
//!
//! ```text
//! gongkai [--data-dir DIR] [--format text|json] setup --unit zazd --name 王晓明
//! gongkai doc new --title "关于…的通知" --body-file draft.txt
//! gongkai doc list | doc show ID | doc search 户籍 | doc history ID
//! gongkai doc attribute ID --set partial --ground partial:art15-personal-privacy --reason … \
//!     --channel website --catalog C06 --affects-public
//! gongkai doc status ID | doc check ID | doc advance ID --to attribute_set | deadlines
//! gongkai keys generate | keys enrol-request OUT | keys enrolment-form OUT | keys pin-office KEY
//! gongkai bundle export ID OUT | bundle verify FILE | receipt import FILE
//! gongkai intake enrol|activate|retire|revoke|keys|receive|list|accept|return|publish
//! gongkai request new|show|list|correct|pause|extend|outcomes|reply|appeal
//! gongkai report annual --year 2026
//! ```
//! Errors print the API's Chinese message with its stable code and exit with status 1;
//! `bundle verify` and `intake receive` exit with status 3 when the bundle has reasons.

mod consult;
mod deid;
mod duties;
mod exchange;
mod publication;
mod render;
mod requests;
mod sync;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use gongkai_api::{
    Api, ApiError, CreateDocRequest, DocRef, ErrorCode, ListRequest, RevRef, SearchRequest,
    SetupRequest,
};
use gongkai_core::{DocFields, DocType};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "gongkai", version, about = "政务公开报送助手（命令行）")]
struct Cli {
    /// Data directory (default: GONGKAI_DATA_DIR, else the OS's per-user data folder).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// First-run setup: who you are and which unit you belong to.
    Setup {
        /// Unit id (see `gongkai unit list`).
        #[arg(long)]
        unit: String,
        /// Your name.
        #[arg(long)]
        name: String,
        /// `unit` (a unit's PC, default) or `office` (指挥中心网上公安办公室).
        #[arg(long, default_value = "unit")]
        role: String,
    },
    /// Where the data lives, who is set up, seed versions.
    Status,
    /// Units.
    #[command(subcommand)]
    Unit(UnitCmd),
    /// Policy documents.
    #[command(subcommand)]
    Doc(DocCmd),
    /// The working-day calendar.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// The due date of a time rule (see seeds/time-rules.json) for an event on TRIGGER_DATE.
    Deadline {
        rule_id: u32,
        /// YYYY-MM-DD
        trigger_date: String,
        /// A pause FROM..TO (YYYY-MM-DD..YYYY-MM-DD), repeatable.
        #[arg(long = "pause")]
        pauses: Vec<String>,
    },
    /// De-identification (去标识化) of text files.
    #[command(subcommand)]
    Deid(DeidCmd),
    /// The running and overdue deadlines of every document (时限提醒).
    Deadlines,
    /// The regulation's grounds and the disclosure catalogue.
    #[command(subcommand)]
    Law(LawCmd),
    /// Review forms as print-ready PDFs.
    #[command(subcommand)]
    Forms(FormsCmd),
    /// This PC's signing key, its enrolment, and the office key that signs receipts.
    #[command(subcommand)]
    Keys(exchange::KeysCmd),
    /// The signed submission bundle (报送包).
    #[command(subcommand)]
    Bundle(exchange::BundleCmd),
    /// Receipts from the central office.
    #[command(subcommand)]
    Receipt(exchange::ReceiptCmd),
    /// Central office: the trust store and received bundles.
    #[command(subcommand)]
    Intake(exchange::IntakeCmd),
    /// Sync with the hub: configure, run, status, conflicts.
    #[command(subcommand)]
    Sync(sync::SyncCmd),
    /// The central office's sync hub.
    #[command(subcommand)]
    Hub(sync::HubCmd),
    /// The 依申请公开 register: applications, their clock, replies, 复议 and 诉讼.
    #[command(subcommand)]
    Request(requests::RequestCmd),
    /// The annual report (政府信息公开工作年度报告).
    #[command(subcommand)]
    Report(requests::ReportCmd),
    /// The duty board: what each unit owes for a period, by when, and what fulfilled it.
    Duties(duties::DutiesArgs),
    /// Reviews: the year-end review of disclosure attributes.
    #[command(subcommand)]
    Review(duties::ReviewCmd),
    /// 征求意见: a document out for public comment, its comments, feedback and decision.
    #[command(subcommand)]
    Consult(consult::ConsultCmd),
}

#[derive(Subcommand)]
enum FormsCmd {
    /// Print one form of a document: 发文稿纸 | 保密审查表 | 解读审签表.
    Print {
        /// Document id (a unique prefix of 8+ characters is enough).
        id: String,
        #[arg(long)]
        form: String,
        /// Where to write the PDF.
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum LawCmd {
    /// The grounds for 不予公开 (第十四至十六条) and 部分公开 (第三十七条), with their ids.
    Grounds,
    /// The 36 items of the disclosure catalogue.
    Catalog,
}

#[derive(Subcommand)]
enum CalendarCmd {
    /// The Nth working day after DATE (DATE itself not counted), as JSON.
    AddWorkdays {
        /// YYYY-MM-DD
        date: String,
        n: u32,
    },
    /// Replace the holiday table with a file in the format of seeds/holidays.json.
    Import { file: PathBuf },
    /// The holiday table in use (version, years).
    Info,
}

#[derive(Subcommand)]
enum DeidCmd {
    /// Find personal information: `--format json` prints [{kind,start,end,text,confidence}]
    /// (offsets in code points); `--jsonl` reads {"id","text"} lines and writes {"id","findings","kept"}.
    Scan {
        /// A UTF-8 text file (`-` for standard input).
        file: PathBuf,
        #[arg(long)]
        jsonl: bool,
    },
    /// Write the text with every finding masked by the bureau's policy.
    Apply {
        /// A UTF-8 text file (`-` for standard input).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UnitCmd {
    /// List the units.
    List,
}

#[derive(Subcommand)]
enum DocCmd {
    /// Create a document.
    New {
        #[arg(long, default_value = "")]
        title: String,
        /// 发文字号, e.g. X公发〔2026〕5号
        #[arg(long, default_value = "")]
        doc_number: String,
        /// normative | policy | notice | request | report
        #[arg(long = "type", default_value = "normative")]
        doc_type: String,
        /// Body text, one paragraph per line.
        #[arg(long, conflicts_with = "body_file")]
        body: Option<String>,
        /// A UTF-8 text file with the body, one paragraph per line.
        #[arg(long)]
        body_file: Option<PathBuf>,
    },
    /// List documents, most recently edited first.
    List {
        /// The recycle bin.
        #[arg(long)]
        bin: bool,
    },
    /// Show a document (or one of its revisions).
    Show {
        /// Document id (a unique prefix of 8+ characters is enough).
        id: String,
        /// A revision id instead of the head.
        #[arg(long)]
        rev: Option<String>,
    },
    /// Search titles and text.
    Search { query: String },
    /// A document's revisions.
    History { id: String },
    /// Move a document to the recycle bin.
    Delete { id: String },
    /// Take a document out of the recycle bin.
    Undelete { id: String },
    /// Save a new revision with this body (and title) on top of the head.
    Edit {
        id: String,
        /// A UTF-8 text file with the body, one paragraph per line.
        #[arg(long)]
        body_file: PathBuf,
        #[arg(long)]
        title: Option<String>,
    },
    /// End a 冲突: keep one version, or save merged content; for a package or a record
    /// (stage, attribute …) in 冲突, keep one side.
    Resolve {
        id: String,
        /// The version of the text to keep (see `gongkai sync conflicts`).
        #[arg(
            long,
            conflicts_with = "merge_file",
            required_unless_present_any = ["merge_file", "keep_package", "keep_record"]
        )]
        keep: Option<String>,
        /// The merged content: a JSON document, or a text file with the merged body.
        #[arg(long)]
        merge_file: Option<PathBuf>,
        /// The version of the interpretation package to keep.
        #[arg(long)]
        keep_package: Option<String>,
        /// A side of a record in 冲突 to keep (its id in `gongkai sync conflicts`); repeatable.
        #[arg(long, requires = "reason")]
        keep_record: Vec<String>,
        /// Why (logged with each kept record).
        #[arg(long)]
        reason: Option<String>,
    },
    #[command(flatten)]
    Publication(publication::PubCmd),
}

fn emit<T: Serialize>(format: Format, value: &T, text: impl FnOnce(&T) -> String) -> Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(value)?),
        Format::Text => print!("{}", text(value)),
    }
    Ok(())
}

fn invalid(msg: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, msg)
}

/// Resolves a full id or a unique prefix against live and binned documents.
fn resolve(api: &Api, id: &str) -> Result<String, ApiError> {
    let id = id.trim();
    if id.len() == 36 {
        return Ok(id.to_string());
    }
    if id.len() < 8 {
        return Err(invalid(
            "文件编号至少需要前8位，请用 gongkai doc list 查看完整编号。",
        ));
    }
    let mut all = api.doc_list(ListRequest { in_bin: false })?;
    all.extend(api.doc_list(ListRequest { in_bin: true })?);
    let found: Vec<_> = all
        .into_iter()
        .filter(|d| d.doc_id.to_string().starts_with(id))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.doc_id.to_string()),
        [] => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("找不到编号以 {id} 开头的文件。"),
        )),
        _ => Err(invalid("有多个文件的编号以此开头，请输入更长的编号。")),
    }
}

fn parse_type(s: &str) -> Result<DocType, ApiError> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| {
        invalid("文件类型应为 normative（规范性文件）、policy（政策文件）、notice（通知）、request（请示）或 report（报告）。")
    })
}

fn run(cli: Cli) -> Result<(), ApiError> {
    let command = match cli.command {
        // Works on files only: no database is opened.
        Command::Deid(cmd) => {
            return match cmd {
                DeidCmd::Scan { file, jsonl: true } => deid::scan_jsonl(&file),
                DeidCmd::Scan { file, jsonl: false } => {
                    deid::scan(&file, cli.format == Format::Json)
                }
                DeidCmd::Apply { file } => deid::apply(&file),
            }
        }
        other => other,
    };
    let data_dir = cli.data_dir.unwrap_or_else(gongkai_api::default_data_dir);
    let command = match command {
        // The hub has its own database: the app's is not opened.
        Command::Hub(cmd) => {
            return sync::hub(&data_dir, cmd)
                .map_err(|e| ApiError::new(ErrorCode::Internal, format!("{e:#}")));
        }
        other => other,
    };
    let api = Api::open(&data_dir);
    let f = cli.format;
    let out = |r: Result<()>| r.map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()));
    match command {
        Command::Setup { unit, name, role } => {
            let role = match role.as_str() {
                "unit" => gongkai_api::Role::Unit,
                "office" => gongkai_api::Role::Office,
                _ => return Err(invalid("角色应为 unit（报送单位）或 office（指挥中心）。")),
            };
            let clerk = api.setup(SetupRequest {
                unit_id: unit,
                clerk_name: name,
                role,
            })?;
            out(emit(f, &clerk, |c| {
                format!("已设置：{}（{}）\n", c.name, c.unit_id)
            }))
        }
        Command::Status => {
            let st = api.status();
            if let Some(e) = &st.open_error {
                return Err(e.clone());
            }
            out(emit(f, &st, render::status))
        }
        Command::Unit(UnitCmd::List) => out(emit(f, &api.units()?, |v| render::units(v))),
        Command::Deid(_) => Ok(()),
        Command::Calendar(CalendarCmd::AddWorkdays { date, n }) => {
            let due =
                api.calendar_add_workdays(gongkai_api::AddWorkdaysRequest { date, days: n })?;
            out(emit(Format::Json, &due, |_| String::new()))
        }
        Command::Calendar(CalendarCmd::Import { file }) => {
            let json = std::fs::read_to_string(&file).map_err(|e| {
                invalid(&format!(
                    "无法读取节假日表 {}：{e}（须为 UTF-8 JSON）。",
                    file.display()
                ))
            })?;
            let info = api.calendar_import(gongkai_api::CalendarImportRequest { json })?;
            out(emit(f, &info, |i| {
                format!(
                    "已导入节假日表（第{}版），覆盖年份：{:?}\n",
                    i.version, i.years
                )
            }))
        }
        Command::Calendar(CalendarCmd::Info) => {
            let info = api.calendar_info()?;
            out(emit(f, &info, |i| {
                format!("节假日表第{}版，覆盖年份：{:?}\n", i.version, i.years)
            }))
        }
        Command::Deadlines => publication::panel(&api, f),
        Command::Forms(FormsCmd::Print {
            id,
            form,
            out: path,
        }) => {
            let w = api.forms_print(gongkai_api::FormRequest {
                doc_id: resolve(&api, &id)?,
                form,
                path: path.display().to_string(),
            })?;
            out(emit(f, &w, |w| {
                format!("已写入 {}（{} 字节）\n", w.path, w.bytes)
            }))
        }
        Command::Law(cmd) => {
            let o = api.disclosure_options()?;
            match cmd {
                LawCmd::Grounds => out(emit(f, &(&o.law.withhold, &o.law.partial), |(w, p)| {
                    let mut s = String::from("不予公开（第十四至十六条）：\n");
                    for g in w.iter() {
                        s.push_str(&format!("  {}\t{}（{}）\n", g.id, g.label, g.article));
                    }
                    s.push_str("部分公开（第三十七条）：\n");
                    for g in p.iter() {
                        s.push_str(&format!("  {}\t{}（{}）\n", g.id, g.label, g.article));
                    }
                    s
                })),
                LawCmd::Catalog => out(emit(f, &o.law.catalog, |items| {
                    items
                        .iter()
                        .map(|c| {
                            format!(
                                "{}\t{}\t责任主体：{}\n",
                                c.id,
                                c.path,
                                c.responsible.join("、")
                            )
                        })
                        .collect()
                })),
            }
        }
        Command::Deadline {
            rule_id,
            trigger_date,
            pauses,
        } => {
            let pauses = pauses
                .iter()
                .map(|p| {
                    p.split_once("..")
                        .map(|(a, b)| (a.to_string(), b.to_string()))
                        .ok_or_else(|| {
                            invalid(
                                "暂停区间应写成 开始日期..结束日期，如 2026-03-02..2026-03-06。",
                            )
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let view = api.deadline(gongkai_api::DeadlineRequest {
                rule_id,
                trigger: trigger_date,
                pauses,
            })?;
            out(emit(Format::Json, &view, |_| String::new()))
        }
        Command::Keys(cmd) => exchange::keys(&api, f, cmd),
        Command::Bundle(cmd) => exchange::bundle(&api, f, cmd),
        Command::Receipt(cmd) => exchange::receipt(&api, f, cmd),
        Command::Intake(cmd) => exchange::intake(&api, f, cmd),
        Command::Sync(cmd) => sync::sync(&api, f, cmd),
        Command::Hub(_) => Ok(()),
        Command::Request(cmd) => requests::request(&api, f, cmd),
        Command::Report(cmd) => requests::report(&api, f, cmd),
        Command::Duties(args) => duties::duties(&api, f, args),
        Command::Review(cmd) => duties::review(&api, f, cmd),
        Command::Consult(cmd) => consult::consult(&api, f, cmd),
        Command::Doc(cmd) => match cmd {
            DocCmd::New {
                title,
                doc_number,
                doc_type,
                body,
                body_file,
            } => {
                let body = match (body, body_file) {
                    (Some(b), _) => b,
                    (None, Some(p)) => std::fs::read_to_string(&p).map_err(|e| {
                        invalid(&format!(
                            "无法读取正文文件 {}：{e}（须为 UTF-8 文本）。",
                            p.display()
                        ))
                    })?,
                    (None, None) => String::new(),
                };
                let fields = DocFields {
                    doc_type: parse_type(&doc_type)?,
                    title,
                    doc_number,
                    body: body.lines().map(str::to_string).collect(),
                    ..Default::default()
                };
                let view = api.doc_create(CreateDocRequest {
                    fields: Some(fields),
                })?;
                out(emit(f, &view, render::doc))
            }
            DocCmd::List { bin } => {
                out(emit(f, &api.doc_list(ListRequest { in_bin: bin })?, |v| {
                    render::list(v)
                }))
            }
            DocCmd::Show { id, rev } => match rev {
                Some(rev_id) => {
                    let r = api.doc_revision(RevRef { rev_id })?;
                    out(emit(f, &r, render::revision))
                }
                None => {
                    let doc_id = resolve(&api, &id)?;
                    out(emit(f, &api.doc_get(DocRef { doc_id })?, render::doc))
                }
            },
            DocCmd::Search { query } => {
                let hits = api.doc_search(SearchRequest { query, limit: None })?;
                out(emit(f, &hits, |v| render::hits(v)))
            }
            DocCmd::History { id } => {
                let doc_id = resolve(&api, &id)?;
                out(emit(f, &api.doc_revisions(DocRef { doc_id })?, |v| {
                    render::history(v)
                }))
            }
            DocCmd::Delete { id } => {
                let doc_id = resolve(&api, &id)?;
                api.doc_delete(DocRef { doc_id })?;
                out(emit(f, &serde_json::json!({"ok": true}), |_| {
                    "已移至回收站。\n".into()
                }))
            }
            DocCmd::Publication(cmd) => publication::run(&api, f, cmd),
            DocCmd::Edit {
                id,
                body_file,
                title,
            } => sync::doc_edit(&api, f, &id, &body_file, title),
            DocCmd::Resolve {
                id,
                keep,
                merge_file,
                keep_package,
                keep_record,
                reason,
            } => sync::doc_resolve(
                &api,
                f,
                &id,
                sync::ResolveArgs {
                    keep,
                    merge_file,
                    keep_package,
                    keep_record,
                    reason,
                },
            ),
            DocCmd::Undelete { id } => {
                let doc_id = resolve(&api, &id)?;
                api.doc_undelete(DocRef { doc_id })?;
                out(emit(f, &serde_json::json!({"ok": true}), |_| {
                    "已从回收站恢复。\n".into()
                }))
            }
        },
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = cli.format;
    match run(cli) {
        Ok(()) if exchange::REJECTED.load(std::sync::atomic::Ordering::SeqCst) => ExitCode::from(3),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match format {
                Format::Json => println!("{}", serde_json::json!({ "error": e })),
                Format::Text => eprintln!("错误 [{:?}]：{}", e.code, e.message),
            }
            ExitCode::from(1)
        }
    }
}
