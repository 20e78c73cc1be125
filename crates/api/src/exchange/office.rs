//! The office side of the exchange: the trust store of device keys by unit (enrol, activate
//! after the fingerprint check, retire, revoke), intake (`intake_receive`: the bundle crate's
//! checks, a re-scan of the published texts, the deadlines) and decisions, each a receipt signed
//! with the office key.

use super::*;

/// The office's trust store and intake, as the bundle crate asks for them.
struct StoreTrust<'a>(&'a Store);

impl TrustStore for StoreTrust<'_> {
    fn key(&self, key_id: &str) -> Option<TrustedKey> {
        let row = self.0.trusted_key(key_id).ok()??;
        let algorithm = Algorithm::parse(&row.algorithm)?;
        let state = if let Some(at) = row.revoked_at {
            KeyState::Revoked {
                at,
                reason: row.revoke_reason.clone().unwrap_or_default(),
            }
        } else if let Some(until) = row.retired_until {
            KeyState::Retired { until }
        } else {
            KeyState::Active
        };
        Some(TrustedKey {
            key_id: row.key_id,
            unit_code: row.unit_code,
            algorithm,
            public_key: row.public_key,
            state,
            // Not yet confirmed against the paper form: not active at any time.
            activated_at: row.activated_at.unwrap_or(DateTime::<Utc>::MAX_UTC),
        })
    }

    fn seen(&self, submission_id: &Uuid) -> Option<String> {
        self.0
            .intake(&submission_id.to_string())
            .ok()?
            .map(|i| i.content_sha256)
    }
}

fn key_state(k: &TrustedKeyRow, now: DateTime<Utc>) -> &'static str {
    if k.revoked_at.is_some() {
        "revoked"
    } else if k.retired_until.is_some_and(|u| u <= now) {
        "retired"
    } else if k.retired_until.is_some() {
        "retiring"
    } else if k.activated_at.is_some() {
        "active"
    } else {
        "pending"
    }
}

/// Normalises a fingerprint as typed from paper: hex digits only, upper case.
fn fingerprint_digits(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether the fingerprint the office typed from the signed paper form is the enrolled key's:
/// the hex digits compared, spaces, dashes and letter case aside (the form prints them grouped).
pub fn fingerprint_check(typed: &str, enrolled: &str) -> ApiResult<()> {
    if fingerprint_digits(typed) == fingerprint_digits(enrolled) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::GateClosed,
        "输入的指纹与登记申请不一致：请逐组核对纸质登记表上的指纹；如确实不同，该申请可能被替换过，请勿启用并联系该单位。",
    ))
}

impl Api {
    // ---- office side: the trust store -----------------------------------------------------

    fn trusted_view(store: &Store, k: &TrustedKeyRow, now: DateTime<Utc>) -> TrustedKeyView {
        TrustedKeyView {
            key_id: k.key_id.clone(),
            unit_code: k.unit_code.clone(),
            unit_name: store
                .unit(&k.unit_code)
                .map(|u| u.name)
                .unwrap_or_else(|_| k.unit_code.clone()),
            algorithm: k.algorithm.clone(),
            fingerprint: k.fingerprint.clone(),
            device_id: k.device_id.clone(),
            clerk: k.clerk.clone(),
            enrolled_at: rfc3339(k.enrolled_at),
            state: key_state(k, now).into(),
            activated_at: k.activated_at.map(rfc3339),
            retired_until: k.retired_until.map(rfc3339),
            revoked_at: k.revoked_at.map(rfc3339),
            revoke_reason: k.revoke_reason.clone(),
            actions: KeyActions::of_state(key_state(k, now)),
        }
    }

    /// The trust store, by unit.
    pub fn trust_list(&self) -> ApiResult<Vec<TrustedKeyView>> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let now = self.clock.now();
        Ok(store
            .trusted_keys()?
            .iter()
            .map(|k| Self::trusted_view(&store, k, now))
            .collect())
    }

    /// Enrols a device key from its enrolment request file (verified: self-signed, key id and
    /// fingerprint match the public key, the unit exists). The key is pending until activated.
    pub fn trust_enrol(&self, req: FileRequest) -> ApiResult<TrustedKeyView> {
        let bytes = read_file(&req.path, 64 * 1024, "密钥登记申请")?;
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let request = EnrolmentRequest::from_json(&bytes).map_err(bundle_err)?;
        request.verify().map_err(bundle_err)?;
        store.unit(&request.unit_code).map_err(|_| {
            ApiError::new(
                ErrorCode::BadFile,
                format!(
                    "登记申请中的单位代码“{}”不在单位列表中。",
                    request.unit_code
                ),
            )
        })?;
        if store.trusted_key(&request.key_id)?.is_some() {
            return Err(ApiError::invalid(format!(
                "密钥 {} 已经登记过。",
                request.key_id
            )));
        }
        let now = self.clock.now();
        let row = TrustedKeyRow {
            key_id: request.key_id.clone(),
            unit_code: request.unit_code.clone(),
            algorithm: request.algorithm.as_str().into(),
            public_key: request.public_key.clone(),
            fingerprint: request.fingerprint.clone(),
            device_id: request.device_id.clone(),
            clerk: request.clerk.clone(),
            request: String::from_utf8_lossy(&bytes).into_owned(),
            enrolled_at: now,
            activated_at: None,
            retired_until: None,
            revoked_at: None,
            revoke_reason: None,
        };
        store.enrol_key(&row, &clerk.name)?;
        Ok(Self::trusted_view(&store, &row, now))
    }

    /// The enrolled key, if `allowed` by its [`KeyActions`]; else why not.
    fn key_for_change(
        store: &Store,
        key_id: &str,
        now: DateTime<Utc>,
        allowed: fn(&KeyActions) -> bool,
    ) -> ApiResult<TrustedKeyRow> {
        let k = store
            .trusted_key(key_id.trim())?
            .ok_or_else(|| ApiError::not_found(format!("没有登记编号为 {key_id} 的密钥。")))?;
        if allowed(&KeyActions::of_state(key_state(&k, now))) {
            return Ok(k);
        }
        Err(ApiError::invalid(if k.revoked_at.is_some() {
            "该密钥已吊销，不能再改变状态。"
        } else if k.retired_until.is_some() {
            "该密钥已停用。"
        } else if k.activated_at.is_some() {
            "该密钥已经启用。"
        } else {
            "该密钥尚未启用：请先核对指纹启用，或直接吊销。"
        }))
    }

    /// Activates a pending key once the fingerprint typed from the signed paper form matches.
    pub fn trust_activate(&self, req: KeyActivateRequest) -> ApiResult<TrustedKeyView> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let now = self.clock.now();
        let mut k = Self::key_for_change(&store, &req.key_id, now, |a| a.activate)?;
        fingerprint_check(&req.fingerprint, &k.fingerprint)?;
        k.activated_at = Some(now);
        store.update_trusted_key(&k, "activate", &clerk.name, now, "指纹核对一致")?;
        Ok(Self::trusted_view(&store, &k, now))
    }

    /// Retires a key: bundles it signed are accepted for `overlap_days` more days.
    pub fn trust_retire(&self, req: KeyRetireRequest) -> ApiResult<TrustedKeyView> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let now = self.clock.now();
        let mut k = Self::key_for_change(&store, &req.key_id, now, |a| a.retire)?;
        if req.overlap_days > 365 {
            return Err(ApiError::invalid("过渡期不超过365天。"));
        }
        k.retired_until = Some(now + Duration::days(i64::from(req.overlap_days)));
        store.update_trusted_key(
            &k,
            "retire",
            &clerk.name,
            now,
            &format!("过渡期{}天", req.overlap_days),
        )?;
        Ok(Self::trusted_view(&store, &k, now))
    }

    /// Revokes a key: bundles received from now on are refused.
    pub fn trust_revoke(&self, req: KeyRevokeRequest) -> ApiResult<TrustedKeyView> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let reason = req.reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(ApiError::invalid(
                "吊销须写明原因（不超过200字），例如“电脑丢失”。",
            ));
        }
        let now = self.clock.now();
        let mut k = Self::key_for_change(&store, &req.key_id, now, |a| a.revoke)?;
        k.revoked_at = Some(now);
        k.revoke_reason = Some(reason.into());
        store.update_trusted_key(&k, "revoke", &clerk.name, now, reason)?;
        Ok(Self::trusted_view(&store, &k, now))
    }

    // ---- office side: intake and decisions ------------------------------------------------

    /// Verifies a bundle as received now: the bundle crate's checks, then the re-scan of the
    /// published texts and the deadlines. Records nothing.
    fn verify_here(
        &self,
        store: &Store,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> (Verdict, VerdictView) {
        let mut verdict = verify_bundle(bytes, &StoreTrust(store), now);
        let mut warnings = Vec::new();
        if verdict.submission.is_some() {
            let mut found: Vec<String> = Vec::new();
            let mut unreadable: Vec<String> = Vec::new();
            for f in &verdict.payload {
                let what = match f.role {
                    FileRole::PolicyDocx => "政策文件",
                    FileRole::InterpretationDocx => "解读材料",
                    _ => continue,
                };
                match gongkai_docx::import::import_docx(&f.bytes) {
                    Ok(imported) => {
                        let places = self.residual_pii(&imported.fields);
                        if !places.is_empty() {
                            found.push(format!(
                                "{what}（{}）仍含个人信息：{}。请退回单位去标识化后重新报送。",
                                f.path,
                                places.join("；")
                            ));
                        }
                    }
                    Err(e) => unreadable.push(format!("{what}（{}）无法打开：{e}", f.path)),
                }
            }
            for m in found {
                verdict.add_reason(ReasonCode::ResidualPii, m);
            }
            let reviewed: Vec<String> = verdict
                .submission
                .as_ref()
                .map(|s| {
                    s.deid_report
                        .images_reviewed
                        .iter()
                        .map(|r| r.sha256.clone())
                        .collect()
                })
                .unwrap_or_default();
            let images: Vec<(String, Vec<u8>)> = verdict
                .payload
                .iter()
                .filter(|f| f.role == FileRole::Image)
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
            for (code, message) in image_reasons(&reviewed, &images) {
                verdict.add_reason(code, message);
            }
            for m in unreadable {
                verdict.add_reason(ReasonCode::BagInvalid, m);
            }
            let today = local_date(now);
            if let Some(c) = verdict
                .submission
                .as_ref()
                .and_then(|s| s.consultation.as_ref())
            {
                // The unit may keep a flagged span on purpose (an official's name); the reviewer
                // is told where to look.
                let found = self.scanner().scan(&c.feedback);
                if !found.is_empty() {
                    let mut kinds: Vec<&str> = found.iter().map(|f| f.kind.label()).collect();
                    kinds.dedup();
                    warnings.push(reason_view(
                        ReasonCode::ResidualPii,
                        &format!(
                            "意见反馈中有{}处疑似个人信息（{}），单位已确认保留，请核对。",
                            found.len(),
                            kinds.join("、")
                        ),
                    ));
                }
            }
            if let Some(sub) = &verdict.submission {
                for d in &sub.deadlines {
                    let open = !matches!(d.state.as_str(), "done" | "done_late");
                    if let Some(due) = d.due.filter(|due| open && *due < today) {
                        warnings.push(reason_view(
                            ReasonCode::DeadlineOverdue,
                            &format!("{}：应于{due}前完成，已超期。", d.what),
                        ));
                    }
                }
            }
        }
        let view = verdict_view(&verdict, warnings);
        (verdict, view)
    }

    /// The kinds and places of personal information the scanner still finds in published
    /// fields (values are not repeated). A finding the policy would leave as it is (an address
    /// already generalised to its town, a number already masked) is the published form, not a
    /// leak: only findings that masking would change count.
    fn residual_pii(&self, fields: &gongkai_core::DocFields) -> Vec<String> {
        let mut out = Vec::new();
        let scanner = self.scanner();
        let policy = scanner.policy();
        let mut check = |place: String, text: &str| {
            let kinds: Vec<&str> = scanner
                .scan(text)
                .iter()
                .filter(|f| {
                    gongkai_deid::apply(text, std::slice::from_ref(*f), policy).text != text
                })
                .map(|f| f.kind.label())
                .collect();
            if !kinds.is_empty() {
                let mut k = kinds;
                k.dedup();
                out.push(format!("{place}有{}", k.join("、")));
            }
        };
        check("标题".into(), &fields.title);
        for (i, p) in fields.body.iter().enumerate() {
            check(format!("正文第{}段", i + 1), p);
        }
        for (i, a) in fields.attachments.iter().enumerate() {
            check(format!("附件说明第{}项", i + 1), a);
        }
        check("附注".into(), &fields.notes);
        out
    }

    /// Verifies a bundle file against this office's trust store without recording it (the
    /// `gongkai bundle verify` command).
    pub fn bundle_verify(&self, req: FileRequest) -> ApiResult<VerdictView> {
        let bytes = read_file(&req.path, gongkai_bundle::MAX_BUNDLE_BYTES, "报送包")?;
        let store = self.store()?;
        Ok(self.verify_here(&store, &bytes, self.clock.now()).1)
    }

    /// Receives a bundle: verified, and recorded when its signature ties it to an enrolled key
    /// (even when it has reasons: the office then returns it with them).
    pub fn intake_receive(&self, req: FileRequest) -> ApiResult<IntakeReceived> {
        let bytes = read_file(&req.path, gongkai_bundle::MAX_BUNDLE_BYTES, "报送包")?;
        self.intake_receive_bytes(bytes)
    }

    /// Intake of a bundle's bytes (from a file, or from the hub).
    pub(crate) fn intake_receive_bytes(&self, bytes: Vec<u8>) -> ApiResult<IntakeReceived> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let now = self.clock.now();
        let (verdict, view) = self.verify_here(&store, &bytes, now);
        let recordable = !verdict.duplicate
            && !verdict.has(ReasonCode::Replay)
            && !verdict.has(ReasonCode::UnitMismatch);
        let mut recorded = false;
        if let (Some(sub), Some(hash), Some(key_id), true) = (
            &verdict.submission,
            &verdict.content_sha256,
            &verdict.key_id,
            recordable,
        ) {
            let verdict_json = serde_json::to_string(&view)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            recorded = store.add_intake(&IntakeRow {
                submission_id: sub.submission_id.to_string(),
                unit_code: sub.unit_code.clone(),
                key_id: key_id.clone(),
                content_sha256: hash.clone(),
                title: sub.title.clone(),
                received_at: now,
                received_by: clerk.name.clone(),
                verdict: verdict_json,
                bundle: bytes,
                status: "received".into(),
            })?;
        }
        let intake = match &view.submission_id {
            Some(id) => self.intake_view_in(&store, id)?,
            None => None,
        };
        Ok(IntakeReceived {
            verdict: view,
            recorded,
            intake,
        })
    }

    fn intake_view_in(&self, store: &Store, submission_id: &str) -> ApiResult<Option<IntakeView>> {
        let Some(row) = store.intake(submission_id)? else {
            return Ok(None);
        };
        Ok(Some(intake_view(store, &row)?))
    }

    /// Received bundles, newest first.
    pub fn intake_list(&self) -> ApiResult<Vec<IntakeView>> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        store
            .intake_list()?
            .iter()
            .map(|r| intake_view(&store, r))
            .collect()
    }

    /// Writes the payload of a received bundle (the de-identified policy and interpretation,
    /// the images, the review forms) into a folder for the reviewer to read. The stored bundle is
    /// verified again as of its receipt time, so only what was received and verified is written.
    pub fn intake_files(&self, req: IntakeFilesRequest) -> ApiResult<IntakeFiles> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let row = store
            .intake(req.submission_id.trim())?
            .ok_or_else(|| ApiError::not_found("没有收到编号为该值的报送包。"))?;
        let verdict = verify_bundle(&row.bundle, &StoreTrust(&store), row.received_at);
        drop(store);
        if verdict.submission.is_none()
            || verdict.content_sha256.as_deref() != Some(row.content_sha256.as_str())
        {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "收件记录中的报送包无法再次通过签名和校验值核验，未写出文件。",
            ));
        }
        let stem = format!(
            "收件-{}-{}-{}",
            row.unit_code,
            file_stem(&row.title),
            &row.submission_id[..8.min(row.submission_id.len())]
        );
        let folder = if req.path.trim().is_empty() {
            self.target("", &stem, "")?
        } else {
            Path::new(req.path.trim()).join(&stem)
        };
        let mut files = Vec::new();
        for f in &verdict.payload {
            // Paths were checked by the bundle crate (no `..`, no absolute or drive paths).
            let target = f
                .path
                .split('/')
                .fold(folder.clone(), |p, part| p.join(part));
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    ApiError::new(
                        ErrorCode::SaveFailed,
                        format!("无法创建文件夹 {}：{e}", dir.display()),
                    )
                })?;
            }
            files.push(write_atomic(&target, &f.bytes)?);
        }
        Ok(IntakeFiles {
            folder: folder.display().to_string(),
            files,
        })
    }

    /// Accepts, returns or records the publication of a received bundle; the decision is a
    /// receipt signed with the office key, written to a file for the unit.
    pub fn intake_decide(&self, req: DecideRequest) -> ApiResult<Decided> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        Self::clerk(&store)?;
        let row = store
            .intake(req.submission_id.trim())?
            .ok_or_else(|| ApiError::not_found("没有收到编号为该值的报送包。"))?;
        let verdict: VerdictView = serde_json::from_str(&row.verdict)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let open = IntakeActions::of(&row.status, &verdict);
        let (decision, status) = match req.decision.trim() {
            "accept" | "accepted" | "受理" => {
                if row.status != "received" {
                    return Err(ApiError::invalid(format!(
                        "该报送包当前为“{}”，只有待处理的报送包才能受理。",
                        decision_label(&row.status)
                    )));
                }
                if !open.accept {
                    return Err(ApiError::new(
                        ErrorCode::GateClosed,
                        format!(
                            "校验未通过，不能受理，请退文：{}",
                            verdict
                                .reasons
                                .iter()
                                .map(|r| r.message.as_str())
                                .collect::<Vec<_>>()
                                .join("；")
                        ),
                    ));
                }
                (Decision::Accepted, "accepted")
            }
            "return" | "returned" | "退文" => {
                if !open.return_ {
                    return Err(ApiError::invalid(format!(
                        "该报送包当前为“{}”，不能再退文。",
                        decision_label(&row.status)
                    )));
                }
                let mut reasons: Vec<ReceiptReason> = verdict
                    .reasons
                    .iter()
                    .map(|r| ReceiptReason {
                        code: r.code.clone(),
                        message: r.message.clone(),
                    })
                    .collect();
                for r in req
                    .reasons
                    .iter()
                    .map(|r| r.trim())
                    .filter(|r| !r.is_empty())
                {
                    if r.chars().count() > 500 {
                        return Err(ApiError::invalid("每条退文理由不超过500字。"));
                    }
                    reasons.push(ReceiptReason {
                        code: "reviewer".into(),
                        message: r.into(),
                    });
                }
                if reasons.is_empty() {
                    return Err(ApiError::invalid("退文须写明理由，告诉单位需要修改什么。"));
                }
                (Decision::Returned { reasons }, "returned")
            }
            "publish" | "published" | "发布" => {
                if !open.publish {
                    return Err(ApiError::invalid("只有已受理的报送包才能登记发布。"));
                }
                let published_on: NaiveDate = crate::deadlines::date(&req.published_on)?;
                if published_on > local_date(self.clock.now()) {
                    return Err(ApiError::invalid("发布日期不能晚于今天。"));
                }
                let url = req.url.trim();
                if !(url.starts_with("http://") || url.starts_with("https://"))
                    || url.len() > 500
                    || url.chars().any(char::is_whitespace)
                {
                    return Err(ApiError::invalid(
                        "请填写发布页面的网址（以 http:// 或 https:// 开头）。",
                    ));
                }
                (
                    Decision::Published {
                        published_on,
                        url: url.into(),
                    },
                    "published",
                )
            }
            _ => {
                return Err(ApiError::invalid(
                    "处理方式应为 accept（受理）、return（退文）或 publish（登记发布）。",
                ))
            }
        };
        let (_, signer) = Self::unlock(&store, &req.password)?;
        let now = self.clock.now();
        let receipt = Receipt {
            format: String::new(),
            receipt_id: self.ids.new_uuid(),
            submission_id: Uuid::parse_str(&row.submission_id)
                .map_err(|_| ApiError::new(ErrorCode::Internal, "报送编号格式有误"))?,
            unit_code: row.unit_code.clone(),
            content_sha256: row.content_sha256.clone(),
            decision,
            decided_at: now,
            office_key_id: String::new(),
        };
        let body = sign_receipt(&receipt, &signer).map_err(bundle_err)?;
        let signed = verify_receipt(&body, signer.public_key()).map_err(bundle_err)?;
        store.issue_receipt(
            &ReceiptRow {
                receipt_id: signed.receipt_id.to_string(),
                submission_id: row.submission_id.clone(),
                decision: signed.decision.kind().into(),
                decided_at: now,
                direction: "issued".into(),
                body: body.clone(),
                recorded_at: now,
            },
            status,
        )?;
        let intake = self
            .intake_view_in(&store, &row.submission_id)?
            .ok_or_else(|| ApiError::not_found("报送包记录丢失"))?;
        drop(store);
        let name = format!(
            "回执-{}-{}-{}",
            row.unit_code,
            file_stem(&row.title),
            decision_label(signed.decision.kind())
        );
        let file = write_atomic(&self.target(&req.path, &name, ".json")?, &body)?;
        Ok(Decided {
            receipt: receipt_view(&signed),
            file,
            intake,
        })
    }
}

fn intake_view(store: &Store, row: &IntakeRow) -> ApiResult<IntakeView> {
    let verdict: VerdictView = serde_json::from_str(&row.verdict)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let actions = IntakeActions::of(&row.status, &verdict);
    Ok(IntakeView {
        submission_id: row.submission_id.clone(),
        unit_code: row.unit_code.clone(),
        unit_name: store
            .unit(&row.unit_code)
            .map(|u| u.name)
            .unwrap_or_else(|_| row.unit_code.clone()),
        title: row.title.clone(),
        received_at: rfc3339(row.received_at),
        status: row.status.clone(),
        verdict,
        receipts: store
            .receipts_for(&row.submission_id)?
            .iter()
            .filter_map(stored_receipt_view)
            .collect(),
        actions,
    })
}

fn verdict_view(v: &Verdict, warnings: Vec<ReasonView>) -> VerdictView {
    VerdictView {
        accepted_for_review: v.accepted_for_review,
        duplicate: v.duplicate,
        reasons: v
            .reasons
            .iter()
            .map(|r| reason_view(r.code, &r.message))
            .collect(),
        warnings,
        submission_id: v.submission.as_ref().map(|s| s.submission_id.to_string()),
        unit_code: v.submission.as_ref().map(|s| s.unit_code.clone()),
        title: v.submission.as_ref().map(|s| s.title.clone()),
        key_id: v.key_id.clone(),
        content_sha256: v.content_sha256.clone(),
        files: v.submission.as_ref().map(file_views).unwrap_or_default(),
        consultation: v
            .submission
            .as_ref()
            .and_then(|s| s.consultation.as_ref())
            .map(|c| super::IntakeConsultation {
                from: c.from.to_string(),
                to: c.to.to_string(),
                days: c.days,
                short_reason: c.short_reason.clone().unwrap_or_default(),
                comments: c.comments,
                groups: c
                    .groups
                    .iter()
                    .map(|g| {
                        format!(
                            "关于“{}”的意见{}条（采纳{}、部分采纳{}、未予采纳{}）",
                            g.topic, g.total, g.adopted, g.partly, g.not_adopted
                        )
                    })
                    .collect(),
                feedback: c.feedback.clone(),
                confirmed_by: c.confirmed_by.clone(),
            }),
    }
}

/// Every image in a received bundle must have been confirmed in the unit's de-identification
/// review (its hash listed in `submission.json`) and carry no metadata.
fn image_reasons(reviewed: &[String], images: &[(String, Vec<u8>)]) -> Vec<(ReasonCode, String)> {
    let mut out = Vec::new();
    for (path, bytes) in images {
        let sha = hex::encode(Sha256::digest(bytes));
        if !reviewed.contains(&sha) {
            out.push((
                ReasonCode::ImageUnreviewed,
                format!("图片（{path}）未在单位的去标识化审查中确认。请退回单位逐张核对图片后重新报送。"),
            ));
        }
        match gongkai_deid::image::metadata(bytes) {
            Ok(m) if m.is_empty() => {}
            Ok(m) => out.push((
                ReasonCode::ImageMetadata,
                format!(
                    "图片（{path}）仍带有元数据（{}），可能含拍摄位置、设备或作者信息。请退回单位重新添加图片。",
                    m.join("、")
                ),
            )),
            Err(e) => out.push((ReasonCode::BagInvalid, format!("图片（{path}）无法读取：{e}"))),
        }
    }
    out
}

#[cfg(test)]
mod image_tests {
    use super::*;

    /// A 1×1 PNG; with `text`, a tEXt chunk naming its author.
    fn png(text: bool) -> Vec<u8> {
        let hex = if text {
            "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000001c74455874\
             417574686f72005a68616e6720576569203133383132333435363738787888a60000000a4944415478\
             9c636000000002000148afa4710000000049454e44ae426082"
        } else {
            "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a4944415478\
             9c636000000002000148afa4710000000049454e44ae426082"
        };
        hex::decode(hex).expect("hex")
    }

    #[test]
    fn an_unconfirmed_image_or_one_with_metadata_is_a_reason_to_return() {
        let clean = png(false);
        let sha = hex::encode(Sha256::digest(&clean));
        let ok = image_reasons(
            std::slice::from_ref(&sha),
            &[("images/graphic-01.png".into(), clean.clone())],
        );
        assert!(ok.is_empty(), "{ok:?}");
        let unconfirmed = image_reasons(&[], &[("images/graphic-01.png".into(), clean)]);
        assert_eq!(unconfirmed.len(), 1);
        assert_eq!(unconfirmed[0].0, ReasonCode::ImageUnreviewed);
        assert!(unconfirmed[0].1.contains("graphic-01.png"));
        let tagged = png(true);
        let sha = hex::encode(Sha256::digest(&tagged));
        let meta = image_reasons(&[sha], &[("images/graphic-02.png".into(), tagged)]);
        assert_eq!(meta.len(), 1);
        assert_eq!(meta[0].0, ReasonCode::ImageMetadata);
        assert!(meta[0].1.contains("PNG 文本"), "{}", meta[0].1);
    }
}
