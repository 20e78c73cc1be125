//! Tauri commands: each one converts its argument and calls the matching `gongkai_api::Api`
//! method. Errors reach the UI as `{code, message}` (`gongkai_api::ApiError`). Every command
//! runs off the main thread (`async`), so a slow call (the first de-identification scan loads
//! the dictionary) never freezes the window.

use gongkai_api::*;
use gongkai_core::{Clerk, DocFields, DocSummary, Graphic, RevisionMeta, SearchHit, Unit};
use tauri::State;

type R<T> = Result<T, ApiError>;

#[tauri::command(async)]
fn app_status(api: State<'_, Api>) -> AppStatus {
    api.status()
}

#[tauri::command(async)]
fn units(api: State<'_, Api>) -> R<Vec<Unit>> {
    api.units()
}

#[tauri::command(async)]
fn setup(api: State<'_, Api>, req: SetupRequest) -> R<Clerk> {
    api.setup(req)
}

#[tauri::command(async)]
fn doc_create(api: State<'_, Api>, req: CreateDocRequest) -> R<DocView> {
    api.doc_create(req)
}

#[tauri::command(async)]
fn doc_list(api: State<'_, Api>, req: ListRequest) -> R<Vec<DocSummary>> {
    api.doc_list(req)
}

#[tauri::command(async)]
fn doc_get(api: State<'_, Api>, req: DocRef) -> R<DocView> {
    api.doc_get(req)
}

#[tauri::command(async)]
fn doc_save(api: State<'_, Api>, req: SaveRequest) -> R<SaveResponse> {
    api.doc_save(req)
}

#[tauri::command(async)]
fn doc_check(api: State<'_, Api>, req: DocFields) -> FieldsCheck {
    api.doc_check(req)
}

#[tauri::command(async)]
fn doc_delete(api: State<'_, Api>, req: DocRef) -> R<()> {
    api.doc_delete(req)
}

#[tauri::command(async)]
fn doc_undelete(api: State<'_, Api>, req: DocRef) -> R<()> {
    api.doc_undelete(req)
}

#[tauri::command(async)]
fn doc_revisions(api: State<'_, Api>, req: DocRef) -> R<Vec<RevisionMeta>> {
    api.doc_revisions(req)
}

#[tauri::command(async)]
fn doc_revision(api: State<'_, Api>, req: RevRef) -> R<RevisionView> {
    api.doc_revision(req)
}

#[tauri::command(async)]
fn doc_restore(api: State<'_, Api>, req: RestoreRequest) -> R<DocView> {
    api.doc_restore(req)
}

#[tauri::command(async)]
fn doc_search(api: State<'_, Api>, req: SearchRequest) -> R<Vec<SearchHit>> {
    api.doc_search(req)
}

#[tauri::command(async)]
fn deid_kinds(api: State<'_, Api>) -> Vec<DeidKind> {
    api.deid_kinds()
}

#[tauri::command(async)]
fn deid_review(api: State<'_, Api>, req: DocRef) -> R<DeidReview> {
    api.deid_review(req)
}

#[tauri::command(async)]
fn deid_decide(api: State<'_, Api>, req: DeidDecideRequest) -> R<DeidReview> {
    api.deid_decide(req)
}

#[tauri::command(async)]
fn deid_mark(api: State<'_, Api>, req: DeidMarkRequest) -> R<DeidReview> {
    api.deid_mark(req)
}

#[tauri::command(async)]
fn deid_image_confirm(api: State<'_, Api>, req: DeidImageRequest) -> R<DeidReview> {
    api.deid_image_confirm(req)
}

#[tauri::command(async)]
fn deid_apply(api: State<'_, Api>, req: DocRef) -> R<DeidApplied> {
    api.deid_apply(req)
}

#[tauri::command(async)]
fn disclosure_options(api: State<'_, Api>) -> R<DisclosureOptions> {
    api.disclosure_options()
}

#[tauri::command(async)]
fn package_get(api: State<'_, Api>, req: DocRef) -> R<PackageView> {
    api.package_get(req)
}

#[tauri::command(async)]
fn package_save(api: State<'_, Api>, req: PackageSaveRequest) -> R<PackageView> {
    api.package_save(req)
}

#[tauri::command(async)]
fn package_image_add(api: State<'_, Api>, req: ImageAddRequest) -> R<Graphic> {
    api.package_image_add(req)
}

#[tauri::command(async)]
fn package_image(api: State<'_, Api>, req: ImageRef) -> R<ImageData> {
    api.package_image(req)
}

#[tauri::command(async)]
fn disclosure_get(api: State<'_, Api>, req: DocRef) -> R<DisclosureView> {
    api.disclosure_get(req)
}

#[tauri::command(async)]
fn disclosure_set(api: State<'_, Api>, req: DisclosureSetRequest) -> R<DisclosureView> {
    api.disclosure_set(req)
}

#[tauri::command(async)]
fn secrecy_get(api: State<'_, Api>, req: DocRef) -> R<SecrecyView> {
    api.secrecy_get(req)
}

#[tauri::command(async)]
fn secrecy_record(api: State<'_, Api>, req: SecrecyRecordRequest) -> R<SecrecyView> {
    api.secrecy_record(req)
}

#[tauri::command(async)]
fn workflow_status(api: State<'_, Api>, req: DocRef) -> R<WorkflowView> {
    api.workflow_status(req)
}

#[tauri::command(async)]
fn workflow_transition(api: State<'_, Api>, req: TransitionRequest) -> R<WorkflowView> {
    api.workflow_transition(req)
}

#[tauri::command(async)]
fn signoff_record(api: State<'_, Api>, req: SignoffRequest) -> R<WorkflowView> {
    api.signoff_record(req)
}

#[tauri::command(async)]
fn event_record(api: State<'_, Api>, req: EventRequest) -> R<WorkflowView> {
    api.event_record(req)
}

#[tauri::command(async)]
fn deadline_pause(api: State<'_, Api>, req: PauseRequest) -> R<WorkflowView> {
    api.deadline_pause(req)
}

#[tauri::command(async)]
fn deadlines_panel(api: State<'_, Api>) -> R<Vec<ObligationView>> {
    api.deadlines_panel()
}

#[tauri::command(async)]
fn calendar_import(api: State<'_, Api>, req: CalendarImportRequest) -> R<CalendarInfo> {
    api.calendar_import(req)
}

#[tauri::command(async)]
fn calendar_info(api: State<'_, Api>) -> R<CalendarInfo> {
    api.calendar_info()
}

#[tauri::command(async)]
fn doc_export_docx(api: State<'_, Api>, req: ExportRequest) -> R<WrittenFile> {
    api.doc_export_docx(req)
}

#[tauri::command(async)]
fn interpretation_export_docx(api: State<'_, Api>, req: ExportRequest) -> R<WrittenFile> {
    api.interpretation_export_docx(req)
}

#[tauri::command(async)]
fn forms_print(api: State<'_, Api>, req: FormRequest) -> R<WrittenFile> {
    api.forms_print(req)
}

#[tauri::command(async)]
fn doc_import(api: State<'_, Api>, req: ImportRequest) -> R<ImportView> {
    api.doc_import(req)
}

#[tauri::command(async)]
fn exchange_info(api: State<'_, Api>) -> R<ExchangeInfo> {
    api.exchange_info()
}

#[tauri::command(async)]
fn keys_generate(api: State<'_, Api>, req: KeyGenerateRequest) -> R<KeyView> {
    api.keys_generate(req)
}

#[tauri::command(async)]
fn keys_enrolment_request(api: State<'_, Api>, req: KeyUseRequest) -> R<WrittenFile> {
    api.keys_enrolment_request(req)
}

#[tauri::command(async)]
fn keys_enrolment_form(api: State<'_, Api>, req: PathRequest) -> R<WrittenFile> {
    api.keys_enrolment_form(req)
}

#[tauri::command(async)]
fn keys_public_file(api: State<'_, Api>, req: PathRequest) -> R<WrittenFile> {
    api.keys_public_file(req)
}

#[tauri::command(async)]
fn office_key_pin(api: State<'_, Api>, req: OfficeKeyRequest) -> R<OfficeKeyView> {
    api.office_key_pin(req)
}

#[tauri::command(async)]
fn bundle_export(api: State<'_, Api>, req: BundleExportRequest) -> R<BundleExported> {
    api.bundle_export(req)
}

#[tauri::command(async)]
fn bundle_list(api: State<'_, Api>, req: DocRef) -> R<Vec<SubmissionView>> {
    api.bundle_list(req)
}

#[tauri::command(async)]
fn bundle_rewrite(api: State<'_, Api>, req: BundleRewriteRequest) -> R<WrittenFile> {
    api.bundle_rewrite(req)
}

#[tauri::command(async)]
fn bundle_verify(api: State<'_, Api>, req: FileRequest) -> R<VerdictView> {
    api.bundle_verify(req)
}

#[tauri::command(async)]
fn receipt_import(api: State<'_, Api>, req: FileRequest) -> R<ReceiptImported> {
    api.receipt_import(req)
}

#[tauri::command(async)]
fn trust_list(api: State<'_, Api>) -> R<Vec<TrustedKeyView>> {
    api.trust_list()
}

#[tauri::command(async)]
fn trust_enrol(api: State<'_, Api>, req: FileRequest) -> R<TrustedKeyView> {
    api.trust_enrol(req)
}

#[tauri::command(async)]
fn trust_activate(api: State<'_, Api>, req: KeyActivateRequest) -> R<TrustedKeyView> {
    api.trust_activate(req)
}

#[tauri::command(async)]
fn trust_retire(api: State<'_, Api>, req: KeyRetireRequest) -> R<TrustedKeyView> {
    api.trust_retire(req)
}

#[tauri::command(async)]
fn trust_revoke(api: State<'_, Api>, req: KeyRevokeRequest) -> R<TrustedKeyView> {
    api.trust_revoke(req)
}

#[tauri::command(async)]
fn intake_receive(api: State<'_, Api>, req: FileRequest) -> R<IntakeReceived> {
    api.intake_receive(req)
}

#[tauri::command(async)]
fn intake_list(api: State<'_, Api>) -> R<Vec<IntakeView>> {
    api.intake_list()
}

#[tauri::command(async)]
fn intake_files(api: State<'_, Api>, req: IntakeFilesRequest) -> R<IntakeFiles> {
    api.intake_files(req)
}

#[tauri::command(async)]
fn intake_decide(api: State<'_, Api>, req: DecideRequest) -> R<Decided> {
    api.intake_decide(req)
}

#[tauri::command(async)]
fn sync_config(api: State<'_, Api>, req: SyncConfigRequest) -> R<SyncStatus> {
    api.sync_config(req)
}

#[tauri::command(async)]
fn sync_status(api: State<'_, Api>) -> R<SyncStatus> {
    api.sync_status()
}

#[tauri::command(async)]
fn sync_now(api: State<'_, Api>, req: SyncNowRequest) -> R<SyncRun> {
    api.sync_now(req)
}

#[tauri::command(async)]
fn sync_background_start(api: State<'_, Api>, req: SyncNowRequest) -> R<SyncStatus> {
    api.sync_background_start(req)
}

#[tauri::command(async)]
fn sync_background_stop(api: State<'_, Api>) -> R<SyncStatus> {
    api.sync_background_stop()
}

#[tauri::command(async)]
fn sync_conflicts(api: State<'_, Api>) -> R<Vec<ConflictView>> {
    api.sync_conflicts()
}

#[tauri::command(async)]
fn doc_resolve(api: State<'_, Api>, req: ResolveRequest) -> R<SaveResponse> {
    api.doc_resolve(req)
}

#[tauri::command(async)]
fn unit_conflicts(api: State<'_, Api>) -> R<Vec<UnitConflictView>> {
    api.unit_conflicts()
}

#[tauri::command(async)]
fn unit_resolve(api: State<'_, Api>, req: UnitResolveRequest) -> R<Vec<UnitConflictView>> {
    api.unit_resolve(req)
}

#[tauri::command(async)]
fn request_renumber(api: State<'_, Api>, req: RenumberRequest) -> R<String> {
    api.request_renumber(req)
}

#[tauri::command(async)]
fn sync_export_media(api: State<'_, Api>, req: MediaExportRequest) -> R<MediaExported> {
    api.sync_export_media(req)
}

#[tauri::command(async)]
fn request_new(api: State<'_, Api>, req: RequestNewRequest) -> R<RequestView> {
    api.request_new(req)
}

#[tauri::command(async)]
fn request_get(api: State<'_, Api>, req: DocRef) -> R<RequestView> {
    api.request_get(req)
}

#[tauri::command(async)]
fn request_list(api: State<'_, Api>, req: RequestListRequest) -> R<Vec<RequestView>> {
    api.request_list(req)
}

#[tauri::command(async)]
fn request_outcomes(api: State<'_, Api>) -> Vec<OutcomeView> {
    api.request_outcomes()
}

#[tauri::command(async)]
fn request_change(api: State<'_, Api>, req: RequestChangeRequest) -> R<RequestView> {
    api.request_change(req)
}

#[tauri::command(async)]
fn report_annual(api: State<'_, Api>, req: AnnualRequest) -> R<AnnualReport> {
    api.report_annual(req)
}

#[tauri::command(async)]
fn request_letter(api: State<'_, Api>, req: RequestLetterRequest) -> R<WrittenFile> {
    api.request_letter(req)
}

#[tauri::command(async)]
fn report_figure_set(api: State<'_, Api>, req: ReportFigureRequest) -> R<Vec<FigureView>> {
    api.report_figure_set(req)
}

#[tauri::command(async)]
fn duties_board(api: State<'_, Api>, req: DutiesRequest) -> R<DutyBoardView> {
    api.duties_board(req)
}

#[tauri::command(async)]
fn review_year_end(api: State<'_, Api>, req: YearEndRequest) -> R<YearEndView> {
    api.review_year_end(req)
}

#[tauri::command(async)]
fn review_year_end_decide(api: State<'_, Api>, req: YearEndDecision) -> R<YearEndView> {
    api.review_year_end_decide(req)
}

#[tauri::command(async)]
fn duties_export(api: State<'_, Api>, req: DutyExportRequest) -> R<WrittenFile> {
    api.duties_export(req)
}

#[tauri::command(async)]
fn duties_record(api: State<'_, Api>, req: DutyRecordRequest) -> R<DutyBoardView> {
    api.duties_record(req)
}

#[tauri::command(async)]
fn duties_set_period(api: State<'_, Api>, req: DutyPeriodRequest) -> R<DutyBoardView> {
    api.duties_set_period(req)
}

#[tauri::command(async)]
fn review_year_end_finish(api: State<'_, Api>, req: YearEndRequest) -> R<YearEndView> {
    api.review_year_end_finish(req)
}

#[tauri::command(async)]
fn consult_window(api: State<'_, Api>, req: ConsultOpenRequest) -> R<WindowView> {
    api.consult_window(req)
}

#[tauri::command(async)]
fn consult_get(api: State<'_, Api>, req: DocRef) -> R<Option<ConsultView>> {
    api.consult_get(req)
}

#[tauri::command(async)]
fn consult_open(api: State<'_, Api>, req: ConsultOpenRequest) -> R<ConsultView> {
    api.consult_open(req)
}

#[tauri::command(async)]
fn consult_comment_add(api: State<'_, Api>, req: ConsultCommentRequest) -> R<ConsultView> {
    api.consult_comment_add(req)
}

#[tauri::command(async)]
fn consult_comment_import(api: State<'_, Api>, req: ConsultImportRequest) -> R<ConsultView> {
    api.consult_comment_import(req)
}

#[tauri::command(async)]
fn consult_comment_decide(api: State<'_, Api>, req: ConsultDecideRequest) -> R<ConsultView> {
    api.consult_comment_decide(req)
}

#[tauri::command(async)]
fn consult_feedback(api: State<'_, Api>, req: ConsultFeedbackRequest) -> R<ConsultView> {
    api.consult_feedback(req)
}

#[tauri::command(async)]
fn consult_feedback_keep(api: State<'_, Api>, req: ConsultKeepRequest) -> R<ConsultView> {
    api.consult_feedback_keep(req)
}

#[tauri::command(async)]
fn consult_feedback_confirm(api: State<'_, Api>, req: DocRef) -> R<ConsultView> {
    api.consult_feedback_confirm(req)
}

#[tauri::command(async)]
fn consult_close(api: State<'_, Api>, req: ConsultCloseRequest) -> R<ConsultView> {
    api.consult_close(req)
}

/// Opens a file the app wrote in the system's viewer (see `Api::may_open`; the opener plugin
/// has no scope the page could use).
#[tauri::command(async)]
fn open_written<Rt: tauri::Runtime>(
    app: tauri::AppHandle<Rt>,
    api: State<'_, Api>,
    req: PathRequest,
) -> R<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = api.may_open(&req.path)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("无法打开文件：{e}")))
}

/// Shows a file the app wrote in its folder.
#[tauri::command(async)]
fn reveal_written<Rt: tauri::Runtime>(
    app: tauri::AppHandle<Rt>,
    api: State<'_, Api>,
    req: PathRequest,
) -> R<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = api.may_open(&req.path)?;
    app.opener()
        .reveal_item_in_dir(path)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("无法打开所在文件夹：{e}")))
}

#[tauri::command(async)]
fn report_figures_queue(api: State<'_, Api>, req: AnnualRequest) -> R<FiguresQueued> {
    api.report_figures_queue(req)
}

#[tauri::command(async)]
fn report_figures_send(api: State<'_, Api>, req: FiguresSendRequest) -> R<WrittenFile> {
    api.report_figures_send(req)
}

#[tauri::command(async)]
fn report_figures_receive(api: State<'_, Api>, req: FileRequest) -> R<FiguresCollection> {
    api.report_figures_receive(req)
}

#[tauri::command(async)]
fn report_figures_collection(api: State<'_, Api>, req: AnnualRequest) -> R<FiguresCollection> {
    api.report_figures_collection(req)
}

#[tauri::command(async)]
fn report_text_save(api: State<'_, Api>, req: ReportTextRequest) -> R<ReportTexts> {
    api.report_text_save(req)
}

#[tauri::command(async)]
fn report_export(api: State<'_, Api>, req: ReportExportRequest) -> R<WrittenFile> {
    api.report_export(req)
}

#[tauri::command(async)]
fn sync_import_media(api: State<'_, Api>, req: MediaImportRequest) -> R<MediaImported> {
    api.sync_import_media(req)
}

/// The invoke handler with every command.
pub(crate) fn handler<R: tauri::Runtime>(
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_status,
        units,
        setup,
        doc_create,
        doc_list,
        doc_get,
        doc_save,
        doc_check,
        doc_delete,
        doc_undelete,
        doc_revisions,
        doc_revision,
        doc_restore,
        doc_search,
        deid_kinds,
        deid_review,
        deid_decide,
        deid_mark,
        deid_image_confirm,
        deid_apply,
        disclosure_options,
        package_get,
        package_save,
        package_image_add,
        package_image,
        disclosure_get,
        disclosure_set,
        secrecy_get,
        secrecy_record,
        workflow_status,
        workflow_transition,
        signoff_record,
        event_record,
        deadline_pause,
        deadlines_panel,
        calendar_import,
        calendar_info,
        doc_export_docx,
        interpretation_export_docx,
        forms_print,
        doc_import,
        exchange_info,
        keys_generate,
        keys_enrolment_request,
        keys_enrolment_form,
        keys_public_file,
        office_key_pin,
        bundle_export,
        bundle_list,
        bundle_rewrite,
        bundle_verify,
        receipt_import,
        trust_list,
        trust_enrol,
        trust_activate,
        trust_retire,
        trust_revoke,
        intake_receive,
        intake_list,
        intake_files,
        intake_decide,
        sync_config,
        sync_status,
        sync_now,
        sync_background_start,
        sync_background_stop,
        sync_conflicts,
        doc_resolve,
        unit_conflicts,
        unit_resolve,
        request_renumber,
        sync_export_media,
        sync_import_media,
        request_new,
        request_get,
        request_list,
        request_outcomes,
        request_change,
        report_annual,
        report_text_save,
        report_export,
        request_letter,
        report_figure_set,
        report_figures_send,
        report_figures_queue,
        duties_board,
        duties_record,
        duties_export,
        review_year_end,
        review_year_end_decide,
        duties_set_period,
        review_year_end_finish,
        consult_window,
        consult_get,
        consult_open,
        consult_comment_add,
        consult_comment_import,
        consult_comment_decide,
        consult_feedback,
        consult_feedback_keep,
        consult_feedback_confirm,
        consult_close,
        open_written,
        reveal_written,
        report_figures_receive,
        report_figures_collection,
    ]
}
