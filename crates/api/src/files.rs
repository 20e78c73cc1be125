//! Files in and out through the API: the policy document and its interpretation as GB/T 9704
//! .docx (the clerk's working copy, or the redacted copy that will be published), written
//! atomically where the clerk chose.

use crate::{parse_doc_id, Api, ApiError, ApiResult, ErrorCode};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use gongkai_core::{DocFields, DocId};
use gongkai_docx::export::{export_interpretation, export_policy, ExportOptions};
use gongkai_store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Write a document (or its interpretation) to `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub doc_id: String,
    /// Where to write (a `.docx` path); empty: the export folder, named after the title.
    #[serde(default)]
    pub path: String,
    /// The de-identified text that will be published, instead of the working copy.
    #[serde(default)]
    pub redacted: bool,
}

/// Print one review form of a document to a PDF at `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FormRequest {
    pub doc_id: String,
    /// 发文稿纸 | 保密审查表 | 解读审签表 (or fawen | secrecy | interpretation).
    pub form: String,
    /// Where to write the PDF; empty: the export folder, named after the title and form.
    #[serde(default)]
    pub path: String,
}

/// Import a Word draft (.docx) as a new document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRequest {
    pub path: String,
}

/// What an import made, and what it left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportView {
    pub doc: crate::DocView,
    /// 已忽略：3 条批注、2 处修订… (none when nothing was left out).
    pub left_out: Option<String>,
    /// Other things to check, in Chinese.
    pub notices: Vec<String>,
    pub tables: u32,
    /// Image names in the file (listed, not imported).
    pub images: Vec<String>,
    /// Lines that are neither a field nor the body (e.g. attachment pages), kept for the clerk.
    pub outside_body: Vec<String>,
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WrittenFile {
    pub path: String,
    pub bytes: u32,
    pub sha256: String,
}

pub(crate) fn local_date(t: DateTime<Utc>) -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap());
    t.with_timezone(&cst).date_naive()
}

/// A path the clerk typed or picked, checked as Windows would check it (on every OS: exports go
/// to shared folders and USB sticks read on Windows PCs): no device name, no name ending in a
/// dot or space, not over Windows' 260 characters.
pub(crate) fn check_user_path(path: &Path) -> ApiResult<()> {
    if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
        if let Some(p) = gongkai_bundle::windows_name_problem(name) {
            return Err(ApiError::invalid(format!(
                "这个文件名不能用：{p}。请换一个文件名。"
            )));
        }
    }
    let chars = path.to_string_lossy().chars().count();
    if chars > 259 {
        return Err(ApiError::invalid(format!(
            "路径过长（{chars}个字符，超过 Windows 的260字符限制）：请保存到层级较浅的文件夹，或缩短文件名。"
        )));
    }
    Ok(())
}

/// Whether writing over an existing file failed because another program holds it open. Windows
/// says so with a sharing or lock violation (32, 33), or access denied on a file that exists;
/// other systems do not lock files against writing.
pub(crate) fn held_open(e: &std::io::Error, windows: bool, exists: bool) -> bool {
    windows
        && (matches!(e.raw_os_error(), Some(32 | 33))
            || (e.kind() == std::io::ErrorKind::PermissionDenied && exists))
}

/// `name(2).ext`, `name(3).ext` … : the first that does not exist beside `path`.
pub(crate) fn free_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..1000)
        .map(|n| path.with_file_name(format!("{stem}({n}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Every file this process wrote (exports, forms, bundles): the only ones the window may ask
/// the system to open or show in their folder.
static WRITTEN: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Whether this process wrote `path`.
pub(crate) fn written_here(path: &Path) -> bool {
    WRITTEN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|w| same_file(w, path))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so that a
/// crash never leaves a half-written file under the clerk's name.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> ApiResult<WrittenFile> {
    check_user_path(path)?;
    let fail = |e: std::io::Error| {
        if held_open(&e, cfg!(windows), path.exists()) {
            return ApiError::new(
                ErrorCode::FileInUse,
                format!(
                    "文件正被其他程序打开，请关闭后重试：{}。也可以另存为“{}”。",
                    path.display(),
                    free_name(path).display()
                ),
            );
        }
        ApiError::new(
            ErrorCode::SaveFailed,
            format!(
                "无法写入 {}：{e}。请换一个文件夹（检查权限、磁盘空间或U盘写保护）后重试。",
                path.display()
            ),
        )
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = path
        .file_name()
        .ok_or_else(|| ApiError::invalid("请给出要保存的文件名。"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(".partial");
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    WRITTEN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(path.to_path_buf());
    Ok(WrittenFile {
        path: path.display().to_string(),
        bytes: bytes.len() as u32,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

/// A file name from a document title: characters Windows refuses are replaced, length capped.
pub(crate) fn file_stem(title: &str) -> String {
    let cleaned: String = title
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    let cleaned = cleaned.trim_matches(['.', ' ']).to_string();
    if cleaned.is_empty() {
        "无标题".into()
    } else {
        cleaned
    }
}

impl Api {
    /// The path of a file the window asks to open in the system viewer or show in its folder:
    /// only a file this app wrote in this session (an export, a form, a bundle) — never any
    /// other path, so a page cannot make the system run a program.
    pub fn may_open(&self, path: &str) -> ApiResult<PathBuf> {
        let p = PathBuf::from(path.trim());
        if written_here(&p) && p.is_file() {
            Ok(p)
        } else {
            Err(ApiError::invalid(
                "只能打开本程序刚导出的文件。请在文件夹中直接打开该文件。",
            ))
        }
    }

    /// Where exports go when no path is given: `GONGKAI_EXPORT_DIR`, else the user's documents
    /// folder / 公开报送助手, else `exports` in the data folder.
    pub fn export_dir(&self) -> PathBuf {
        if let Some(d) = std::env::var_os("GONGKAI_EXPORT_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(d);
        }
        directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(|d| d.join("公开报送助手")))
            .unwrap_or_else(|| self.data_dir.join("exports"))
    }

    /// `path` when given, else `export dir / {title}{suffix}`, the folder created.
    pub(crate) fn target(&self, path: &str, title: &str, suffix: &str) -> ApiResult<PathBuf> {
        if !path.trim().is_empty() {
            return Ok(PathBuf::from(path.trim()));
        }
        let dir = self.export_dir();
        std::fs::create_dir_all(&dir).map_err(|e| {
            ApiError::new(
                ErrorCode::SaveFailed,
                format!(
                    "无法创建导出文件夹 {}：{e}。请用“另存为”选择其他位置。",
                    dir.display()
                ),
            )
        })?;
        Ok(dir.join(format!("{}{suffix}", file_stem(title))))
    }
}

fn export_err(e: gongkai_docx::export::ExportError) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

impl Api {
    /// The policy document as GB/T 9704 .docx: the working copy, or (`redacted`) the
    /// de-identified text that will be published, which needs the review applied.
    pub fn doc_export_docx(&self, req: ExportRequest) -> ApiResult<WrittenFile> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let (fields, bytes) = self.policy_docx(&mut store, doc_id, req.redacted)?;
        drop(store);
        let suffix = if req.redacted {
            "（公开文本）.docx"
        } else {
            "（工作稿）.docx"
        };
        write_atomic(&self.target(&req.path, &fields.title, suffix)?, &bytes)
    }

    /// The policy .docx bytes and the fields they were made from (see [`Api::doc_export_docx`]).
    pub(crate) fn policy_docx(
        &self,
        store: &mut Store,
        doc_id: DocId,
        redacted: bool,
    ) -> ApiResult<(DocFields, Vec<u8>)> {
        let fields = if redacted {
            self.redacted_fields(store, doc_id)?
        } else {
            store.head(doc_id)?.fields
        };
        let publication = store.publication(doc_id)?;
        let opts = ExportOptions {
            attribute: publication.disclosure.map(|d| d.attribute),
            created_on: Some(local_date(self.clock.now())),
        };
        let bytes = export_policy(&fields, &opts).map_err(export_err)?;
        Ok((fields, bytes))
    }

    /// The head revision's de-identified fields; refused until the review was applied.
    pub(crate) fn redacted_fields(&self, store: &mut Store, doc_id: DocId) -> ApiResult<DocFields> {
        let (head, _, fields) = self.redact_head(store, doc_id)?;
        if store.deid_report(&head.meta.rev_id.to_string())?.is_none() {
            return Err(ApiError::new(
                ErrorCode::DeidPending,
                "当前版本尚未完成去标识化：请先在“去标识化”中生成公开文本。",
            ));
        }
        Ok(fields)
    }

    /// The interpretation package as .docx in the matching style. `redacted` refuses a package
    /// that still holds personal information.
    pub fn interpretation_export_docx(&self, req: ExportRequest) -> ApiResult<WrittenFile> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let store = self.store()?;
        let (title, bytes) = self.interpretation_docx(&store, doc_id, req.redacted)?;
        drop(store);
        write_atomic(
            &self.target(&req.path, &title, "（政策解读）.docx")?,
            &bytes,
        )
    }

    /// The interpretation .docx bytes and the document title (see
    /// [`Api::interpretation_export_docx`]).
    pub(crate) fn interpretation_docx(
        &self,
        store: &Store,
        doc_id: DocId,
        redacted: bool,
    ) -> ApiResult<(String, Vec<u8>)> {
        let view = self.package_view(store, doc_id)?;
        if view.head.is_none() {
            return Err(ApiError::invalid(
                "这份文件还没有解读材料，请先在“政策解读”中填写。",
            ));
        }
        if redacted && view.check.issues.iter().any(|i| i.code == "personal_info") {
            return Err(ApiError::new(
                ErrorCode::DeidPending,
                "解读材料中还有个人信息，请删除或改写后再导出公开文本。",
            ));
        }
        let title = store.head(doc_id)?.fields.title;
        let unit = store
            .unit(&view.package.interpreter_unit)
            .map(|u| u.name)
            .unwrap_or_else(|_| view.package.interpreter_unit.clone());
        let image = |sha: &str| store.image(sha).ok().map(|(_, b)| b);
        let bytes = export_interpretation(
            &view.package,
            &title,
            &unit,
            Some(local_date(self.clock.now())),
            &image,
        )
        .map_err(export_err)?;
        Ok((title, bytes))
    }
}

impl Api {
    /// One review form as a print-ready A4 PDF, filled from the document's head revision, its
    /// attribute, package, de-identification report, confidentiality review and sign-off, with a
    /// QR code and short hash tying it to that revision. The 发文稿纸 is refused until the
    /// disclosure attribute is settled (先确定公开属性，再运转呈签).
    pub fn forms_print(&self, req: FormRequest) -> ApiResult<WrittenFile> {
        let kind = gongkai_forms::FormKind::parse(&req.form).ok_or_else(|| {
            ApiError::invalid("表单名称应为 发文稿纸、保密审查表 或 解读审签表。")
        })?;
        let doc_id = parse_doc_id(&req.doc_id)?;
        let store = self.store()?;
        let (title, bytes) = self.form_pdf(&store, kind, doc_id, None)?;
        drop(store);
        let suffix = format!("（{}）.pdf", kind.label());
        write_atomic(&self.target(&req.path, &title, &suffix)?, &bytes)
    }

    /// One review form's PDF bytes and the document title (see [`Api::forms_print`]). With
    /// `fields`, the form shows those (the de-identified text for the bundle) instead of the
    /// head revision's; the QR code still names the head revision.
    pub(crate) fn form_pdf(
        &self,
        store: &Store,
        kind: gongkai_forms::FormKind,
        doc_id: DocId,
        fields: Option<DocFields>,
    ) -> ApiResult<(String, Vec<u8>)> {
        use gongkai_forms::{render, FormData, FormKind, LegalGround, Signoff};
        let clerk = Self::clerk(store)?;
        let head = store.head(doc_id)?;
        let summary = store.document(doc_id)?;
        let publication = store.publication(doc_id)?;
        let law = self.law(store)?;
        let attribute_ok = publication
            .disclosure
            .as_ref()
            .is_some_and(|d| gongkai_core::check_disclosure(d, &law).is_empty());
        if kind == FormKind::Fawen && !attribute_ok {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "尚未确定公开属性：先确定公开属性，再运转呈签。请在“公开属性”中选定属性（不予公开或部分公开须写明法定理由）后再打印发文稿纸。",
            ));
        }
        let package = store.package_head(doc_id)?;
        if kind == FormKind::Interpretation && package.is_none() {
            return Err(ApiError::invalid(
                "这份文件还没有解读材料，请先在“政策解读”中填写后再打印解读审签表。",
            ));
        }
        let rev_id = head.meta.rev_id.to_string();
        let deid_counts = store.deid_report(&rev_id)?.map(|r| {
            let counts: std::collections::BTreeMap<String, u32> =
                serde_json::from_str(&r.counts).unwrap_or_default();
            counts
                .into_iter()
                .map(|(k, n)| {
                    let label = gongkai_deid::Kind::parse(&k).map_or(k, |k| k.label().to_string());
                    (label, n)
                })
                .collect()
        });
        let secrecy = match (&publication.secrecy, &publication.secrecy_rev_id) {
            (Some(r), Some(rev)) if *rev == rev_id => Some(r.clone()),
            _ => None,
        };
        let unit = store
            .unit(&clerk.unit_id)
            .map(|u| u.name)
            .unwrap_or_default();
        let org = store
            .unit(&clerk.unit_id)
            .ok()
            .and_then(|u| u.parent)
            .and_then(|p| store.unit(&p).ok())
            .map(|u| u.name)
            .unwrap_or_else(|| head.fields.issuing_authority.trim().to_string());
        let now = self.clock.now();
        let data = FormData {
            org_name: org,
            unit_name: unit,
            clerk_name: clerk.name.clone(),
            contact_phone: package
                .as_ref()
                .map(|(_, p)| p.contact.clone())
                .unwrap_or_default(),
            drafted_on: Some(local_date(summary.created_at)),
            printed_at: now,
            form_no: format!(
                "{}-{}-{}",
                kind.code(),
                local_date(now).format("%Y%m%d"),
                &self.ids.new_uuid().simple().to_string()[24..30].to_uppercase()
            ),
            doc_id: doc_id.to_string(),
            rev_id,
            rev_no: head.meta.rev_no,
            content_sha256: head.meta.content_sha256.clone(),
            ground_labels: publication
                .disclosure
                .as_ref()
                .map(|d| {
                    d.grounds
                        .iter()
                        .filter_map(|g| law.ground(g))
                        .map(LegalGround::from)
                        .collect()
                })
                .unwrap_or_default(),
            catalog_path: publication
                .disclosure
                .as_ref()
                .and_then(|d| d.catalog_item.as_ref())
                .and_then(|id| law.catalog.iter().find(|c| &c.id == id))
                .map(|c| c.path.clone()),
            disclosure: publication.disclosure.clone(),
            package_rev_id: package.as_ref().map(|(m, _)| m.rev_id.clone()),
            package_rev_no: package.as_ref().map(|(m, _)| m.rev_no),
            package: package.map(|(_, p)| p),
            secrecy,
            deid_counts,
            countersign_units: Vec::new(),
            signoff: store.latest_signoff(doc_id)?.map(|s| Signoff {
                signer: s.signer,
                date: s.signed_on.to_string(),
                opinion: s.opinion,
            }),
            fields: fields.unwrap_or(head.fields),
        };
        let bytes = render(kind, &data).map_err(|e| ApiError::invalid(e.to_string()))?;
        Ok((data.fields.title, bytes))
    }
}

impl Api {
    /// Imports a Word draft as a new document (the clerk's unit as 发文机关 when the file names
    /// none). Tracked changes, comments, hidden text and document properties are not imported;
    /// `left_out` says so. A file that is not a usable .docx writes nothing.
    pub fn doc_import(&self, req: ImportRequest) -> ApiResult<ImportView> {
        let imported =
            gongkai_docx::import::import_path(Path::new(req.path.trim())).map_err(|e| {
                ApiError::new(ErrorCode::BadFile, format!("{e}（错误代码：{}）", e.code()))
            })?;
        let doc = self.doc_create(crate::CreateDocRequest {
            fields: Some(imported.fields.clone()),
        })?;
        let mut notices = imported.notices.clone();
        if imported.fields.issuing_authority.trim().is_empty() {
            // Never silently: the source names no issuer, so the clerk's unit stands in.
            notices.insert(
                0,
                format!(
                    "源文件没有写明发文机关（红头和落款中都没有），已填入本单位“{}”，请核对。",
                    doc.fields.issuing_authority
                ),
            );
        }
        Ok(ImportView {
            doc,
            left_out: imported.left_out_message(),
            notices,
            tables: imported.tables.len() as u32,
            images: imported.images.iter().map(|i| i.name.clone()).collect(),
            outside_body: imported.outside_body.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_cannot_create_are_refused_on_every_os() {
        for bad in [
            "CON.docx",
            "aux",
            "nul.tar.gz",
            "COM3.pdf",
            "lpt1.zip",
            "报送包.",
            "报送包 ",
        ] {
            let e = check_user_path(&Path::new("/tmp").join(bad)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(e.message.contains("请换一个文件名"), "{bad}: {}", e.message);
        }
        assert!(check_user_path(Path::new("/tmp/CONSOLE.docx")).is_ok());
        let deep = format!("/tmp/{}/a.docx", "目录".repeat(130));
        assert!(check_user_path(Path::new(&deep))
            .unwrap_err()
            .message
            .contains("260"));
    }

    #[test]
    fn a_file_held_open_on_windows_is_told_apart_from_a_permission_problem() {
        use std::io::{Error, ErrorKind};
        let sharing = Error::from_raw_os_error(32);
        assert!(held_open(&sharing, true, true));
        assert!(held_open(&Error::from_raw_os_error(33), true, false));
        assert!(held_open(
            &Error::from(ErrorKind::PermissionDenied),
            true,
            true
        ));
        // Access denied on a file that is not there: a folder's permissions, not a lock.
        assert!(!held_open(
            &Error::from(ErrorKind::PermissionDenied),
            true,
            false
        ));
        // Elsewhere 32 is another error (EPIPE) and nothing locks files.
        assert!(!held_open(&sharing, false, true));
    }

    #[test]
    fn only_what_the_app_wrote_may_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        let api = crate::Api::open(dir.path());
        let mine = dir.path().join("表.pdf");
        write_atomic(&mine, b"%PDF").unwrap();
        assert_eq!(api.may_open(&mine.display().to_string()).unwrap(), mine);
        let other = dir.path().join("run.sh");
        std::fs::write(&other, b"#!/bin/sh").unwrap();
        assert!(api.may_open(&other.display().to_string()).is_err());
        assert!(api.may_open("/bin/sh").is_err());
    }

    #[test]
    fn another_free_name_is_offered_beside_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("报送包.zip");
        std::fs::write(&p, b"x").unwrap();
        assert_eq!(free_name(&p), dir.path().join("报送包(2).zip"));
        std::fs::write(dir.path().join("报送包(2).zip"), b"x").unwrap();
        assert_eq!(free_name(&p), dir.path().join("报送包(3).zip"));
    }

    /// A file that grows after its size was checked (a FIFO shows size 0 and then delivers
    /// more than the limit) is refused after reading one byte past the limit.
    #[cfg(unix)]
    #[test]
    fn a_file_that_grows_after_the_size_check_is_read_only_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("growing.zip");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                // Stops with a broken pipe once the reader has had enough.
                let _ = f.write_all(&vec![7u8; 1 << 20]);
            })
        };
        let e =
            crate::exchange::read_file(&fifo.display().to_string(), 1000, "报送包").unwrap_err();
        assert_eq!(e.code, ErrorCode::BadFile);
        assert!(e.message.contains("1001 字节以上"), "{}", e.message);
        writer.join().unwrap();
    }
}
