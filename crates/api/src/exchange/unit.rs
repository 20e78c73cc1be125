//! The unit side of the exchange: the bundle made from a document (`bundle_export`), its list
//! and rewrites, and the receipts that alone move a document past 已封装 (`receipt_import`).

use super::*;

impl Api {
    // ---- unit side: the bundle ------------------------------------------------------------

    fn submission_view(store: &Store, s: &SubmissionRow) -> ApiResult<SubmissionView> {
        Ok(SubmissionView {
            submission_id: s.submission_id.clone(),
            doc_id: s.doc_id.clone(),
            doc_rev_id: s.doc_rev_id.clone(),
            package_rev_id: s.package_rev_id.clone(),
            key_id: s.key_id.clone(),
            content_sha256: s.content_sha256.clone(),
            file_name: s.file_name.clone(),
            created_at: rfc3339(s.created_at),
            bytes: s.bundle.len() as u32,
            receipts: store
                .receipts_for(&s.submission_id)?
                .iter()
                .filter_map(stored_receipt_view)
                .collect(),
        })
    }

    /// A document's bundles, newest first, with their receipts.
    pub fn bundle_list(&self, req: crate::DocRef) -> ApiResult<Vec<SubmissionView>> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let store = self.store()?;
        store
            .submissions_of(&doc_id.to_string())?
            .iter()
            .map(|s| Self::submission_view(&store, s))
            .collect()
    }

    /// Writes an earlier bundle again, byte for byte.
    pub fn bundle_rewrite(&self, req: BundleRewriteRequest) -> ApiResult<WrittenFile> {
        let store = self.store()?;
        let s = store.submission(req.submission_id.trim())?;
        drop(store);
        let stem = s.file_name.trim_end_matches(".zip").to_string();
        write_atomic(&self.target(&req.path, &stem, ".zip")?, &s.bundle)
    }

    /// Makes the signed bundle of a signed-off document and writes it; 已签发 → 已封装. For a
    /// document already packaged, the same bundle is written again.
    pub fn bundle_export(&self, req: BundleExportRequest) -> ApiResult<BundleExported> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        Self::require_role(&store, Role::Unit)?;
        let clerk = Self::clerk(&store)?;
        let refs = self.refs(&store)?;
        let g = self.gather(&store, &refs, doc_id)?;
        crate::conflicts::ensure_settled(&store, doc_id)?;
        let stage = g.pub_row.stage;
        if matches!(stage, Stage::Packaged | Stage::Submitted | Stage::Accepted) {
            if let Some(s) = store
                .submissions_of(&doc_id.to_string())?
                .into_iter()
                .next()
            {
                let view = Self::submission_view(&store, &s)?;
                drop(store);
                let stem = s.file_name.trim_end_matches(".zip").to_string();
                let file = write_atomic(&self.target(&req.path, &stem, ".zip")?, &s.bundle)?;
                let files = list_files(&s.bundle);
                return Ok(BundleExported {
                    submission: view,
                    file,
                    files,
                    new: false,
                });
            }
        }
        if stage != Stage::Signed {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                format!(
                    "文件当前处于“{}”：报送包只能在登记签发（已签发）之后生成。",
                    stage.label()
                ),
            ));
        }
        let gates = gongkai_core::closed_gates(Stage::Packaged, &g.facts);
        if !gates.is_empty() {
            let msg: Vec<&str> = gates.iter().map(|x| x.message.as_str()).collect();
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                format!("还不能生成报送包：{}", msg.join("；")),
            ));
        }
        let (_, signer) = Self::unlock(&store, &req.password)?;
        let now = self.clock.now();
        let submission_id = self.ids.new_uuid();

        // The payload: everything published, from the de-identified text only.
        let (redacted, policy) = self.policy_docx(&mut store, doc_id, true)?;
        let mut payload = vec![PayloadFile {
            path: "policy.docx".into(),
            role: FileRole::PolicyDocx,
            bytes: policy,
        }];
        if let Some((_, pkg)) = &g.package {
            let (_, interp) = self.interpretation_docx(&store, doc_id, true)?;
            payload.push(PayloadFile {
                path: "interpretation.docx".into(),
                role: FileRole::InterpretationDocx,
                bytes: interp,
            });
            for (i, graphic) in pkg.graphics.iter().enumerate() {
                let (media, bytes) = bundled_image(&store, &graphic.sha256)?;
                let ext = match media.as_str() {
                    "image/png" => "png",
                    "image/jpeg" => "jpg",
                    _ => "bin",
                };
                payload.push(PayloadFile {
                    path: format!("images/graphic-{:02}.{ext}", i + 1),
                    role: FileRole::Image,
                    bytes,
                });
            }
        }
        use gongkai_forms::FormKind;
        for kind in FormKind::ALL {
            if kind == FormKind::Interpretation && g.package.is_none() {
                continue;
            }
            let (_, pdf) = self.form_pdf(&store, kind, doc_id, Some(redacted.clone()))?;
            payload.push(PayloadFile {
                path: format!("forms/{}.pdf", kind.code()),
                role: FileRole::FormPdf,
                bytes: pdf,
            });
        }

        let submission = self.submission_of(&store, &refs, &g, &clerk, submission_id, now)?;
        let unit_name = submission.unit_name.clone();
        let input = BundleInput {
            submission,
            payload,
            source_organization: unit_name,
            bagging_date: local_date(now),
        };
        let bytes = build_bundle(&input, &signer).map_err(bundle_err)?;
        let content_sha256 = content_hash(&bytes)?;
        let file_name = format!(
            "报送包-{}-{}.zip",
            file_stem(&g.title),
            &submission_id.simple().to_string()[..8]
        );
        let row = SubmissionRow {
            submission_id: submission_id.to_string(),
            doc_id: doc_id.to_string(),
            doc_rev_id: g.head_rev_id.clone(),
            package_rev_id: g.package.as_ref().map(|(m, _)| m.rev_id.clone()),
            key_id: signer.key_id().into(),
            content_sha256,
            file_name: file_name.clone(),
            bundle: bytes,
            created_at: now,
            created_by: clerk.name.clone(),
        };
        let reason = format!("生成报送包 {submission_id}");
        store
            .add_submission(
                &row,
                Some(&Transition {
                    doc_id,
                    from: Stage::Signed,
                    to: Stage::Packaged,
                    actor: &clerk.name,
                    at: now,
                    reason: &reason,
                    doc_rev_id: &g.head_rev_id,
                    package_rev_id: row.package_rev_id.as_deref(),
                }),
            )
            .map_err(|e| match e {
                gongkai_store::StoreError::Conflict { .. } => ApiError::new(
                    ErrorCode::Conflict,
                    "该文件的流程状态已在其他窗口中改变，请刷新后重试。",
                ),
                other => other.into(),
            })?;
        let view = Self::submission_view(&store, &row)?;
        drop(store);
        let file = write_atomic(
            &self.target(&req.path, file_name.trim_end_matches(".zip"), ".zip")?,
            &row.bundle,
        )?;
        Ok(BundleExported {
            submission: view,
            files: list_files(&row.bundle),
            file,
            new: true,
        })
    }

    fn submission_of(
        &self,
        store: &Store,
        refs: &crate::publication::Refs,
        g: &crate::publication::Gathered,
        clerk: &gongkai_core::Clerk,
        submission_id: Uuid,
        now: DateTime<Utc>,
    ) -> ApiResult<gongkai_bundle::Submission> {
        let uuid = |s: &str| {
            Uuid::parse_str(s).map_err(|_| ApiError::new(ErrorCode::Internal, "编号格式有误"))
        };
        let head = store.head(g.doc_id)?;
        let report = store
            .deid_report(&g.head_rev_id)?
            .ok_or_else(|| ApiError::new(ErrorCode::DeidPending, "当前版本尚未完成去标识化。"))?;
        let signoff = g
            .signoff
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::GateClosed, "尚未登记签发。"))?;
        let disclosure = g
            .pub_row
            .disclosure
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::GateClosed, "尚未确定公开属性。"))?;
        let unit = store.unit(&clerk.unit_id)?;
        let deadlines = self
            .obligations_of(store, refs, g)?
            .into_iter()
            .map(|o| gongkai_bundle::DeadlineEntry {
                rule_id: o.rule_id,
                what: o.what,
                due: o.due.and_then(|d| d.parse().ok()),
                state: serde_json::to_value(o.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            })
            .collect();
        let attribute = serde_json::to_value(disclosure.attribute)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        Ok(gongkai_bundle::Submission {
            schema_version: gongkai_bundle::SCHEMA_VERSION,
            submission_id,
            unit_code: clerk.unit_id.clone(),
            unit_name: unit.name,
            clerk: clerk.name.clone(),
            device_id: clerk.device_id.to_string(),
            doc_id: uuid(&g.doc_id.to_string())?,
            doc_rev_id: uuid(&g.head_rev_id)?,
            doc_content_sha256: head.meta.content_sha256.clone(),
            title: g.title.clone(),
            package_rev_id: g
                .package
                .as_ref()
                .map(|(m, _)| uuid(&m.rev_id))
                .transpose()?,
            attribute,
            grounds: disclosure.grounds.clone(),
            reason: Some(disclosure.reason.clone()).filter(|r| !r.trim().is_empty()),
            catalog_item: disclosure.catalog_item.clone(),
            needs_interpretation: g.facts.needs_interpretation,
            interpretation_forms: g
                .package
                .as_ref()
                .map(|(_, p)| {
                    p.forms
                        .iter()
                        .filter_map(|f| {
                            serde_json::to_value(f)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            deid_report: gongkai_bundle::DeidSummary {
                counts: serde_json::from_str(&report.counts).unwrap_or_default(),
                reviewer: report.reviewer.clone(),
                reviewed_at: report.reviewed_at,
                policy_version: report.policy_version.to_string(),
                images_reviewed: {
                    // Listed by the hash of the image as bundled (see `bundled_image`).
                    let reviews = store.deid_image_reviews(&g.doc_id.to_string())?;
                    let mut listed = Vec::new();
                    for gr in g.package.iter().flat_map(|(_, p)| p.graphics.iter()) {
                        if let Some(r) = reviews.iter().find(|r| r.sha256 == gr.sha256) {
                            let (_, bytes) = bundled_image(store, &gr.sha256)?;
                            listed.push(gongkai_bundle::ImageReview {
                                sha256: hex::encode(Sha256::digest(&bytes)),
                                reviewer: r.reviewer.clone(),
                                reviewed_at: r.reviewed_at,
                            });
                        }
                    }
                    listed
                },
            },
            signoff: gongkai_bundle::Signoff {
                signer: signoff.signer.clone(),
                signed_on: signoff.signed_on,
                opinion: signoff.opinion.clone(),
                doc_rev_id: uuid(&signoff.doc_rev_id)?,
                package_rev_id: signoff.package_rev_id.as_deref().map(uuid).transpose()?,
            },
            deadlines,
            created_at: now,
            files: Vec::new(),
            consultation: crate::consult::summary(self, store, &g.doc_id.to_string())?,
        })
    }

    /// Imports a receipt file from the office: verified against the pinned office keys, matched
    /// to a bundle made on this PC, recorded, and applied to the document's stage (受理, 退文
    /// with the reasons in the log, 发布 with the date as the 公开 event).
    pub fn receipt_import(&self, req: FileRequest) -> ApiResult<ReceiptImported> {
        let bytes = read_file(&req.path, 1 << 20, "回执文件")?;
        self.receipt_import_bytes(bytes)
    }

    /// Import of a receipt's bytes (from a file, or from the hub's feed).
    pub(crate) fn receipt_import_bytes(&self, bytes: Vec<u8>) -> ApiResult<ReceiptImported> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Unit)?;
        let clerk = Self::clerk(&store)?;
        let office_keys = store.office_keys()?;
        if office_keys.is_empty() {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "尚未登记指挥中心的回执公钥：请在“签名密钥”中填入指挥中心通知上的公钥后再导入回执。",
            ));
        }
        let mut last_err = None;
        let mut receipt = None;
        for (_, pk) in &office_keys {
            match verify_receipt(&bytes, pk) {
                Ok(r) => {
                    receipt = Some(r);
                    break;
                }
                Err(e) => last_err = Some(e),
            }
        }
        let receipt = match (receipt, last_err) {
            (Some(r), _) => r,
            (None, Some(e)) => return Err(bundle_err(e)),
            (None, None) => return Err(ApiError::new(ErrorCode::BadFile, "回执无法验证。")),
        };
        let sub = store
            .submission(&receipt.submission_id.to_string())
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::BadFile,
                    "这份回执对应的报送包不是本机生成的：请确认是否导入了其他单位或其他电脑的回执。",
                )
            })?;
        if receipt.content_sha256 != sub.content_sha256 || receipt.unit_code != clerk.unit_id {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "回执中的报送包校验值或单位与本机记录不符，未导入。请联系指挥中心核实。",
            ));
        }
        let doc_id = parse_doc_id(&sub.doc_id)?;
        let title = store.head(doc_id)?.fields.title;
        let view = receipt_view(&receipt);
        let rid = receipt.receipt_id.to_string();
        if store.receipt(&rid)?.is_some() {
            let stage = store.publication(doc_id)?.stage;
            return Ok(ReceiptImported {
                receipt: view,
                doc_id: doc_id.to_string(),
                title,
                new: false,
                stage,
                note: Some("这份回执之前已导入过，未作改动。".into()),
            });
        }
        let now = self.clock.now();
        let latest = store
            .submissions_of(&sub.doc_id)?
            .into_iter()
            .next()
            .map(|s| s.submission_id);
        let pub_row = store.publication(doc_id)?;
        let outcome = match &receipt.decision {
            Decision::Accepted => Outcome::Accepted,
            Decision::Returned { .. } => Outcome::Returned,
            Decision::Published { .. } => Outcome::Published,
        };
        let (moves, note) = if latest.as_deref() != Some(sub.submission_id.as_str()) {
            (
                Vec::new(),
                Some("这是该文件较早一次报送的回执，已记录，不改变当前流程。".to_string()),
            )
        } else {
            let effect = receipt_effect(pub_row.stage, outcome);
            (effect.moves, effect.note)
        };
        let reason_text = match &receipt.decision {
            Decision::Accepted => "指挥中心回执：已受理".to_string(),
            Decision::Returned { reasons } => format!(
                "指挥中心退文：{}",
                reasons
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            Decision::Published { published_on, url } => {
                format!("指挥中心回执：已于{published_on}发布（{url}）")
            }
        };
        let actor = "指挥中心网上公安办公室（回执）";
        let mut from = pub_row.stage;
        let mut transitions = Vec::new();
        for to in &moves {
            transitions.push(Transition {
                doc_id,
                from,
                to: *to,
                actor,
                at: now,
                reason: &reason_text,
                doc_rev_id: &sub.doc_rev_id,
                package_rev_id: sub.package_rev_id.as_deref(),
            });
            from = *to;
        }
        // The office publishes what the bundle carried: the document, and with it its
        // interpretation (发布 starts the document's own deadlines and ends the interpretation's).
        let mut events = Vec::new();
        if let Decision::Published { published_on, .. } = &receipt.decision {
            events.push(("published", *published_on));
            if sub.package_rev_id.is_some() {
                events.push(("interpretation_published", *published_on));
            }
        }
        store.import_receipt(
            &ReceiptRow {
                receipt_id: rid,
                submission_id: sub.submission_id.clone(),
                decision: receipt.decision.kind().into(),
                decided_at: receipt.decided_at,
                direction: "imported".into(),
                body: bytes,
                recorded_at: now,
            },
            &transitions,
            &events,
        )?;
        let stage = store.publication(doc_id)?.stage;
        Ok(ReceiptImported {
            receipt: view,
            doc_id: doc_id.to_string(),
            title,
            new: true,
            stage,
            note,
        })
    }
}

/// A stored image as it goes into a bundle: without metadata (images stored before metadata was
/// stripped on import are stripped here; the pixels the clerk confirmed are the same).
fn bundled_image(store: &Store, sha256: &str) -> ApiResult<(String, Vec<u8>)> {
    let (media, bytes) = store.image(sha256)?;
    let bytes = gongkai_deid::image::strip_metadata(&bytes)
        .map(|s| s.bytes)
        .unwrap_or(bytes);
    Ok((media, bytes))
}
