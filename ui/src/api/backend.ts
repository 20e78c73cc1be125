// The one place the UI talks to the Rust side. Every command takes at most one argument,
// named `req`; every failure becomes an `ApiError` with a Chinese message for the clerk.
import { invoke } from '@tauri-apps/api/core'
import type { InjectionKey } from 'vue'
import type { ApiError } from '../bindings/ApiError'
import type { AppStatus } from '../bindings/AppStatus'
import type { AnnualReport } from '../bindings/AnnualReport'
import type { AnnualRequest } from '../bindings/AnnualRequest'
import type { ReportExportRequest } from '../bindings/ReportExportRequest'
import type { ReportFigureRequest } from '../bindings/ReportFigureRequest'
import type { FiguresSendRequest } from '../bindings/FiguresSendRequest'
import type { FiguresQueued } from '../bindings/FiguresQueued'
import type { DutiesRequest } from '../bindings/DutiesRequest'
import type { DutyBoardView } from '../bindings/DutyBoardView'
import type { DutyRecordRequest } from '../bindings/DutyRecordRequest'
import type { DutyExportRequest } from '../bindings/DutyExportRequest'
import type { YearEndRequest } from '../bindings/YearEndRequest'
import type { YearEndDecision } from '../bindings/YearEndDecision'
import type { YearEndView } from '../bindings/YearEndView'
import type { DutyPeriodRequest } from '../bindings/DutyPeriodRequest'
import type { WindowView } from '../bindings/WindowView'
import type { ConsultView } from '../bindings/ConsultView'
import type { ConsultOpenRequest } from '../bindings/ConsultOpenRequest'
import type { ConsultCommentRequest } from '../bindings/ConsultCommentRequest'
import type { ConsultImportRequest } from '../bindings/ConsultImportRequest'
import type { ConsultDecideRequest } from '../bindings/ConsultDecideRequest'
import type { ConsultFeedbackRequest } from '../bindings/ConsultFeedbackRequest'
import type { ConsultKeepRequest } from '../bindings/ConsultKeepRequest'
import type { ConsultCloseRequest } from '../bindings/ConsultCloseRequest'
import type { FiguresCollection } from '../bindings/FiguresCollection'
import type { FigureView } from '../bindings/FigureView'
import type { ReportTextRequest } from '../bindings/ReportTextRequest'
import type { ReportTexts } from '../bindings/ReportTexts'
import type { OutcomeView } from '../bindings/OutcomeView'
import type { RequestChangeRequest } from '../bindings/RequestChangeRequest'
import type { RequestListRequest } from '../bindings/RequestListRequest'
import type { RequestLetterRequest } from '../bindings/RequestLetterRequest'
import type { RequestNewRequest } from '../bindings/RequestNewRequest'
import type { RequestView } from '../bindings/RequestView'
import type { Clerk } from '../bindings/Clerk'
import type { CreateDocRequest } from '../bindings/CreateDocRequest'
import type { DeidApplied } from '../bindings/DeidApplied'
import type { DeidDecideRequest } from '../bindings/DeidDecideRequest'
import type { DeidImageRequest } from '../bindings/DeidImageRequest'
import type { DeidKind } from '../bindings/DeidKind'
import type { DeidMarkRequest } from '../bindings/DeidMarkRequest'
import type { DeidReview } from '../bindings/DeidReview'
import type { DocFields } from '../bindings/DocFields'
import type { DocRef } from '../bindings/DocRef'
import type { DocSummary } from '../bindings/DocSummary'
import type { DocView } from '../bindings/DocView'
import type { ErrorCode } from '../bindings/ErrorCode'
import type { FieldsCheck } from '../bindings/FieldsCheck'
import type { ListRequest } from '../bindings/ListRequest'
import type { RestoreRequest } from '../bindings/RestoreRequest'
import type { RevisionMeta } from '../bindings/RevisionMeta'
import type { RevisionView } from '../bindings/RevisionView'
import type { RevRef } from '../bindings/RevRef'
import type { SaveRequest } from '../bindings/SaveRequest'
import type { SaveResponse } from '../bindings/SaveResponse'
import type { SearchHit } from '../bindings/SearchHit'
import type { SearchRequest } from '../bindings/SearchRequest'
import type { SetupRequest } from '../bindings/SetupRequest'
import type { Unit } from '../bindings/Unit'
import type { ImportRequest } from '../bindings/ImportRequest'
import type { ImportView } from '../bindings/ImportView'
import type { ExportRequest } from '../bindings/ExportRequest'
import type { FormRequest } from '../bindings/FormRequest'
import type { WrittenFile } from '../bindings/WrittenFile'
import type { CalendarImportRequest } from '../bindings/CalendarImportRequest'
import type { CalendarInfo } from '../bindings/CalendarInfo'
import type { DisclosureOptions } from '../bindings/DisclosureOptions'
import type { DisclosureSetRequest } from '../bindings/DisclosureSetRequest'
import type { DisclosureView } from '../bindings/DisclosureView'
import type { EventRequest } from '../bindings/EventRequest'
import type { Graphic } from '../bindings/Graphic'
import type { ImageAddRequest } from '../bindings/ImageAddRequest'
import type { ImageData } from '../bindings/ImageData'
import type { ImageRef } from '../bindings/ImageRef'
import type { ObligationView } from '../bindings/ObligationView'
import type { PackageSaveRequest } from '../bindings/PackageSaveRequest'
import type { PackageView } from '../bindings/PackageView'
import type { PauseRequest } from '../bindings/PauseRequest'
import type { SecrecyRecordRequest } from '../bindings/SecrecyRecordRequest'
import type { SecrecyView } from '../bindings/SecrecyView'
import type { SignoffRequest } from '../bindings/SignoffRequest'
import type { TransitionRequest } from '../bindings/TransitionRequest'
import type { WorkflowView } from '../bindings/WorkflowView'
import type { BundleExportRequest } from '../bindings/BundleExportRequest'
import type { BundleExported } from '../bindings/BundleExported'
import type { BundleRewriteRequest } from '../bindings/BundleRewriteRequest'
import type { Decided } from '../bindings/Decided'
import type { DecideRequest } from '../bindings/DecideRequest'
import type { ExchangeInfo } from '../bindings/ExchangeInfo'
import type { FileRequest } from '../bindings/FileRequest'
import type { IntakeReceived } from '../bindings/IntakeReceived'
import type { IntakeView } from '../bindings/IntakeView'
import type { IntakeFiles } from '../bindings/IntakeFiles'
import type { IntakeFilesRequest } from '../bindings/IntakeFilesRequest'
import type { KeyActivateRequest } from '../bindings/KeyActivateRequest'
import type { KeyGenerateRequest } from '../bindings/KeyGenerateRequest'
import type { KeyRetireRequest } from '../bindings/KeyRetireRequest'
import type { KeyRevokeRequest } from '../bindings/KeyRevokeRequest'
import type { KeyUseRequest } from '../bindings/KeyUseRequest'
import type { KeyView } from '../bindings/KeyView'
import type { OfficeKeyRequest } from '../bindings/OfficeKeyRequest'
import type { OfficeKeyView } from '../bindings/OfficeKeyView'
import type { PathRequest } from '../bindings/PathRequest'
import type { ReceiptImported } from '../bindings/ReceiptImported'
import type { SubmissionView } from '../bindings/SubmissionView'
import type { TrustedKeyView } from '../bindings/TrustedKeyView'
import type { VerdictView } from '../bindings/VerdictView'
import type { SyncConfigRequest } from '../bindings/SyncConfigRequest'
import type { SyncStatus } from '../bindings/SyncStatus'
import type { SyncNowRequest } from '../bindings/SyncNowRequest'
import type { SyncRun } from '../bindings/SyncRun'
import type { ConflictView } from '../bindings/ConflictView'
import type { ResolveRequest } from '../bindings/ResolveRequest'
import type { UnitConflictView } from '../bindings/UnitConflictView'
import type { UnitResolveRequest } from '../bindings/UnitResolveRequest'
import type { RenumberRequest } from '../bindings/RenumberRequest'
import type { MediaExportRequest } from '../bindings/MediaExportRequest'
import type { MediaExported } from '../bindings/MediaExported'
import type { MediaImportRequest } from '../bindings/MediaImportRequest'
import type { MediaImported } from '../bindings/MediaImported'

export interface Backend {
  appStatus(): Promise<AppStatus>
  units(): Promise<Unit[]>
  setup(req: SetupRequest): Promise<Clerk>
  docCreate(req: CreateDocRequest): Promise<DocView>
  docList(req: ListRequest): Promise<DocSummary[]>
  docGet(req: DocRef): Promise<DocView>
  docSave(req: SaveRequest): Promise<SaveResponse>
  docCheck(req: DocFields): Promise<FieldsCheck>
  docDelete(req: DocRef): Promise<null>
  docUndelete(req: DocRef): Promise<null>
  docRevisions(req: DocRef): Promise<RevisionMeta[]>
  docRevision(req: RevRef): Promise<RevisionView>
  docRestore(req: RestoreRequest): Promise<DocView>
  docSearch(req: SearchRequest): Promise<SearchHit[]>
  deidKinds(): Promise<DeidKind[]>
  /** Scans the head revision on first call (slow the first time: the dictionary loads). */
  deidReview(req: DocRef): Promise<DeidReview>
  deidDecide(req: DeidDecideRequest): Promise<DeidReview>
  deidMark(req: DeidMarkRequest): Promise<DeidReview>
  /** Confirms one image of the interpretation package as looked at. */
  deidImageConfirm(req: DeidImageRequest): Promise<DeidReview>
  /** Fails with `DeidPending` while any finding is undecided. */
  deidApply(req: DocRef): Promise<DeidApplied>
  /** The choices of the attribute, package and secrecy panels, with the law and catalogue. */
  disclosureOptions(): Promise<DisclosureOptions>
  /** The interpretation package (a fresh one, head null, until the first save) and its check. */
  packageGet(req: DocRef): Promise<PackageView>
  /** Fails with `Conflict` when `base_rev_id` is not the head. */
  packageSave(req: PackageSaveRequest): Promise<PackageView>
  /** PNG or JPEG only; returns the Graphic to put in the package. */
  packageImageAdd(req: ImageAddRequest): Promise<Graphic>
  packageImage(req: ImageRef): Promise<ImageData>
  disclosureGet(req: DocRef): Promise<DisclosureView>
  /** Fails with `InvalidInput` (what is missing, in Chinese) or when locked. */
  disclosureSet(req: DisclosureSetRequest): Promise<DisclosureView>
  secrecyGet(req: DocRef): Promise<SecrecyView>
  secrecyRecord(req: SecrecyRecordRequest): Promise<SecrecyView>
  workflowStatus(req: DocRef): Promise<WorkflowView>
  /** Fails with `GateClosed` naming what is missing. */
  workflowTransition(req: TransitionRequest): Promise<WorkflowView>
  signoffRecord(req: SignoffRequest): Promise<WorkflowView>
  eventRecord(req: EventRequest): Promise<WorkflowView>
  deadlinePause(req: PauseRequest): Promise<WorkflowView>
  /** Running or overdue deadlines of all documents, soonest first. */
  deadlinesPanel(): Promise<ObligationView[]>
  calendarImport(req: CalendarImportRequest): Promise<CalendarInfo>
  calendarInfo(): Promise<CalendarInfo>
  /** Imports a Word draft as a new document; fails with `BadFile` for a file it cannot use. */
  docImport(req: ImportRequest): Promise<ImportView>
  /** Writes the policy as GB/T 9704 .docx (an empty path: the export folder). */
  docExportDocx(req: ExportRequest): Promise<WrittenFile>
  interpretationExportDocx(req: ExportRequest): Promise<WrittenFile>
  /** A review form as PDF; the 发文稿纸 fails with `GateClosed` until the attribute is set. */
  formsPrint(req: FormRequest): Promise<WrittenFile>
  // ---- the exchange with the central office ----
  /** The role, this PC's key (public parts) and the pinned office keys. */
  exchangeInfo(): Promise<ExchangeInfo>
  /** Slow on purpose (scrypt, about a second); replaces an earlier key. */
  keysGenerate(req: KeyGenerateRequest): Promise<KeyView>
  /** The signed enrolment request (JSON) for the office; a wrong password is `InvalidInput`. */
  keysEnrolmentRequest(req: KeyUseRequest): Promise<WrittenFile>
  /** The enrolment form with the fingerprint, as PDF to print and sign. */
  keysEnrolmentForm(req: PathRequest): Promise<WrittenFile>
  keysPublicFile(req: PathRequest): Promise<WrittenFile>
  /** Pins the office key that signs receipts (a .pub file's text or its key line). */
  officeKeyPin(req: OfficeKeyRequest): Promise<OfficeKeyView>
  /** 已签发 → 已封装 (an already packaged document: the same bundle again, `new: false`). */
  bundleExport(req: BundleExportRequest): Promise<BundleExported>
  /** A document's bundles, newest first, with their receipts. */
  bundleList(req: DocRef): Promise<SubmissionView[]>
  bundleRewrite(req: BundleRewriteRequest): Promise<WrittenFile>
  /** Moves the document as the receipt says (受理 / 退文 / 发布); `note` when nothing moved. */
  receiptImport(req: FileRequest): Promise<ReceiptImported>
  // office side
  trustList(): Promise<TrustedKeyView[]>
  trustEnrol(req: FileRequest): Promise<TrustedKeyView>
  /** Fails with `GateClosed` when the typed fingerprint does not match. */
  trustActivate(req: KeyActivateRequest): Promise<TrustedKeyView>
  trustRetire(req: KeyRetireRequest): Promise<TrustedKeyView>
  trustRevoke(req: KeyRevokeRequest): Promise<TrustedKeyView>
  /** Verifies a bundle without recording it. */
  bundleVerify(req: FileRequest): Promise<VerdictView>
  intakeReceive(req: FileRequest): Promise<IntakeReceived>
  intakeList(): Promise<IntakeView[]>
  intakeFiles(req: IntakeFilesRequest): Promise<IntakeFiles>
  /** Writes the signed receipt (`path` empty: the export folder). */
  intakeDecide(req: DecideRequest): Promise<Decided>
  // sync with the office's hub
  /** Checks and keeps the hub address (and the office CA for https); does not contact it. */
  syncConfig(req: SyncConfigRequest): Promise<SyncStatus>
  syncStatus(): Promise<SyncStatus>
  /** One run: push, pull, keys, bundles (unit) or key list and intake (office). */
  syncNow(req: SyncNowRequest): Promise<SyncRun>
  /** Turns on the background sync for this session (the password is kept in memory only). */
  syncBackgroundStart(req: SyncNowRequest): Promise<SyncStatus>
  /** Turns it off and forgets the password. */
  syncBackgroundStop(): Promise<SyncStatus>
  /** 冲突 documents, each with every version (the one this PC shows first). */
  syncConflicts(): Promise<ConflictView[]>
  /** Ends a 冲突: keep one version or save merged fields. */
  docResolve(req: ResolveRequest): Promise<SaveResponse>
  unitConflicts(): Promise<UnitConflictView[]>
  unitResolve(req: UnitResolveRequest): Promise<UnitConflictView[]>
  requestRenumber(req: RenumberRequest): Promise<string>
  /** Writes this PC's changes not yet exported as a signed transfer bag (removable media). */
  syncExportMedia(req: MediaExportRequest): Promise<MediaExported>
  /** Reads a transfer bag from another PC of the unit; refuses gaps and tampering. */
  syncImportMedia(req: MediaImportRequest): Promise<MediaImported>
  /** Records an application for disclosure (依申请公开) and returns it with its clock. */
  requestNew(req: RequestNewRequest): Promise<RequestView>
  /** One application (by id or serial). */
  requestGet(req: DocRef): Promise<RequestView>
  /** The register, newest first (open ones only with `open`). */
  requestList(req: RequestListRequest): Promise<RequestView[]>
  /** The reply types in the order of the report's rows. */
  requestOutcomes(): Promise<OutcomeView[]>
  /** 补正, pause, extension, reply or appeal. */
  requestChange(req: RequestChangeRequest): Promise<RequestView>
  /** Writes the 答复书 (.docx) of an answered application. */
  requestLetter(req: RequestLetterRequest): Promise<WrittenFile>
  /** Tables 三 and 四 of a year's annual report, each cell with its records. */
  reportAnnual(req: AnnualRequest): Promise<AnnualReport>
  /** Enters (or clears) a figure of table 二 (行政许可、处罚、强制, 收费). */
  reportFigureSet(req: ReportFigureRequest): Promise<FigureView[]>
  /** Unit: writes the year's figures for the office, signed with this PC's key. */
  reportFiguresSend(req: FiguresSendRequest): Promise<WrittenFile>
  reportFiguresQueue(req: AnnualRequest): Promise<FiguresQueued>
  dutiesBoard(req: DutiesRequest): Promise<DutyBoardView>
  dutiesRecord(req: DutyRecordRequest): Promise<DutyBoardView>
  dutiesExport(req: DutyExportRequest): Promise<WrittenFile>
  reviewYearEnd(req: YearEndRequest): Promise<YearEndView>
  reviewYearEndDecide(req: YearEndDecision): Promise<YearEndView>
  reviewYearEndFinish(req: YearEndRequest): Promise<YearEndView>
  dutiesSetPeriod(req: DutyPeriodRequest): Promise<DutyBoardView>
  consultWindow(req: ConsultOpenRequest): Promise<WindowView>
  consultGet(req: DocRef): Promise<ConsultView | null>
  consultOpen(req: ConsultOpenRequest): Promise<ConsultView>
  consultCommentAdd(req: ConsultCommentRequest): Promise<ConsultView>
  consultCommentImport(req: ConsultImportRequest): Promise<ConsultView>
  consultCommentDecide(req: ConsultDecideRequest): Promise<ConsultView>
  consultFeedback(req: ConsultFeedbackRequest): Promise<ConsultView>
  consultFeedbackKeep(req: ConsultKeepRequest): Promise<ConsultView>
  consultFeedbackConfirm(req: DocRef): Promise<ConsultView>
  consultClose(req: ConsultCloseRequest): Promise<ConsultView>
  /** Office: takes in a unit's figures file. */
  reportFiguresReceive(req: FileRequest): Promise<FiguresCollection>
  /** Office: every unit's figures for a year, the sum and who has not sent. */
  reportFiguresCollection(req: AnnualRequest): Promise<FiguresCollection>
  /** Saves one text section (overview, problems, other) of a year's report. */
  reportTextSave(req: ReportTextRequest): Promise<ReportTexts>
  /** Writes the report: .docx (the national format) or .xlsx (tables 三 and 四). */
  reportExport(req: ReportExportRequest): Promise<WrittenFile>
}

// Keyed by the generated ErrorCode union: adding a code in Rust fails the type check here until
// it is listed, so this set can never silently fall behind the bindings.
const ERROR_CODES: Record<ErrorCode, true> = {
  InvalidInput: true,
  NotFound: true,
  SetupRequired: true,
  Conflict: true,
  DatabaseNewer: true,
  DatabaseCorrupt: true,
  SaveFailed: true,
  DataDirUnusable: true,
  Internal: true,
  DeidPending: true,
  GateClosed: true,
  BadFile: true,
  SyncNotConfigured: true,
  SyncOffline: true,
  SyncRefused: true,
  SyncKeyRevoked: true,
  FileInUse: true,
}

export function isApiError(e: unknown): e is ApiError {
  if (typeof e !== 'object' || e === null) return false
  const o = e as Record<string, unknown>
  return (
    typeof o.code === 'string' &&
    Object.prototype.hasOwnProperty.call(ERROR_CODES, o.code) &&
    typeof o.message === 'string'
  )
}

/** Turns anything a rejected call may produce into an ApiError. */
export function normalizeError(e: unknown): ApiError {
  if (isApiError(e)) return { code: e.code, message: e.message }
  let detail = ''
  if (typeof e === 'string') detail = e
  else if (e instanceof Error) detail = e.message
  else if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    detail = (e as { message: string }).message
  } else if (e !== undefined && e !== null) {
    try {
      detail = JSON.stringify(e)
    } catch {
      detail = String(e)
    }
  }
  detail = detail.trim()
  return {
    code: 'Internal',
    message: detail
      ? `程序内部错误：${detail}。请重试；如仍出现，请联系技术人员。`
      : '程序内部错误。请重试；如仍出现，请联系技术人员。',
  }
}

export type InvokeFn = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>

/** Builds a Backend on top of an invoke function (Tauri's by default). */
export function createBackend(invokeFn: InvokeFn = invoke): Backend {
  async function call<T>(cmd: string, req?: unknown): Promise<T> {
    try {
      const args = req === undefined ? undefined : { req }
      return (await invokeFn(cmd, args)) as T
    } catch (e) {
      throw normalizeError(e)
    }
  }
  return {
    appStatus: () => call<AppStatus>('app_status'),
    units: () => call<Unit[]>('units'),
    setup: (req) => call<Clerk>('setup', req),
    docCreate: (req) => call<DocView>('doc_create', req),
    docList: (req) => call<DocSummary[]>('doc_list', req),
    docGet: (req) => call<DocView>('doc_get', req),
    docSave: (req) => call<SaveResponse>('doc_save', req),
    docCheck: (req) => call<FieldsCheck>('doc_check', req),
    docDelete: (req) => call<null>('doc_delete', req),
    docUndelete: (req) => call<null>('doc_undelete', req),
    docRevisions: (req) => call<RevisionMeta[]>('doc_revisions', req),
    docRevision: (req) => call<RevisionView>('doc_revision', req),
    docRestore: (req) => call<DocView>('doc_restore', req),
    docSearch: (req) => call<SearchHit[]>('doc_search', req),
    deidKinds: () => call<DeidKind[]>('deid_kinds'),
    deidReview: (req) => call<DeidReview>('deid_review', req),
    deidDecide: (req) => call<DeidReview>('deid_decide', req),
    deidMark: (req) => call<DeidReview>('deid_mark', req),
    deidImageConfirm: (req) => call<DeidReview>('deid_image_confirm', req),
    deidApply: (req) => call<DeidApplied>('deid_apply', req),
    disclosureOptions: () => call<DisclosureOptions>('disclosure_options'),
    packageGet: (req) => call<PackageView>('package_get', req),
    packageSave: (req) => call<PackageView>('package_save', req),
    packageImageAdd: (req) => call<Graphic>('package_image_add', req),
    packageImage: (req) => call<ImageData>('package_image', req),
    disclosureGet: (req) => call<DisclosureView>('disclosure_get', req),
    disclosureSet: (req) => call<DisclosureView>('disclosure_set', req),
    secrecyGet: (req) => call<SecrecyView>('secrecy_get', req),
    secrecyRecord: (req) => call<SecrecyView>('secrecy_record', req),
    workflowStatus: (req) => call<WorkflowView>('workflow_status', req),
    workflowTransition: (req) => call<WorkflowView>('workflow_transition', req),
    signoffRecord: (req) => call<WorkflowView>('signoff_record', req),
    eventRecord: (req) => call<WorkflowView>('event_record', req),
    deadlinePause: (req) => call<WorkflowView>('deadline_pause', req),
    deadlinesPanel: () => call<ObligationView[]>('deadlines_panel'),
    calendarImport: (req) => call<CalendarInfo>('calendar_import', req),
    calendarInfo: () => call<CalendarInfo>('calendar_info'),
    docImport: (req) => call<ImportView>('doc_import', req),
    docExportDocx: (req) => call<WrittenFile>('doc_export_docx', req),
    interpretationExportDocx: (req) => call<WrittenFile>('interpretation_export_docx', req),
    formsPrint: (req) => call<WrittenFile>('forms_print', req),
    exchangeInfo: () => call<ExchangeInfo>('exchange_info'),
    keysGenerate: (req) => call<KeyView>('keys_generate', req),
    keysEnrolmentRequest: (req) => call<WrittenFile>('keys_enrolment_request', req),
    keysEnrolmentForm: (req) => call<WrittenFile>('keys_enrolment_form', req),
    keysPublicFile: (req) => call<WrittenFile>('keys_public_file', req),
    officeKeyPin: (req) => call<OfficeKeyView>('office_key_pin', req),
    bundleExport: (req) => call<BundleExported>('bundle_export', req),
    bundleList: (req) => call<SubmissionView[]>('bundle_list', req),
    bundleRewrite: (req) => call<WrittenFile>('bundle_rewrite', req),
    receiptImport: (req) => call<ReceiptImported>('receipt_import', req),
    trustList: () => call<TrustedKeyView[]>('trust_list'),
    trustEnrol: (req) => call<TrustedKeyView>('trust_enrol', req),
    trustActivate: (req) => call<TrustedKeyView>('trust_activate', req),
    trustRetire: (req) => call<TrustedKeyView>('trust_retire', req),
    trustRevoke: (req) => call<TrustedKeyView>('trust_revoke', req),
    bundleVerify: (req) => call<VerdictView>('bundle_verify', req),
    intakeReceive: (req) => call<IntakeReceived>('intake_receive', req),
    intakeList: () => call<IntakeView[]>('intake_list'),
    intakeFiles: (req) => call<IntakeFiles>('intake_files', req),
    intakeDecide: (req) => call<Decided>('intake_decide', req),
    syncConfig: (req) => call<SyncStatus>('sync_config', req),
    syncStatus: () => call<SyncStatus>('sync_status'),
    syncNow: (req) => call<SyncRun>('sync_now', req),
    syncBackgroundStart: (req) => call<SyncStatus>('sync_background_start', req),
    syncBackgroundStop: () => call<SyncStatus>('sync_background_stop'),
    syncConflicts: () => call<ConflictView[]>('sync_conflicts'),
    docResolve: (req) => call<SaveResponse>('doc_resolve', req),
    unitConflicts: () => call<UnitConflictView[]>('unit_conflicts'),
    unitResolve: (req) => call<UnitConflictView[]>('unit_resolve', req),
    requestRenumber: (req) => call<string>('request_renumber', req),
    syncExportMedia: (req) => call<MediaExported>('sync_export_media', req),
    syncImportMedia: (req) => call<MediaImported>('sync_import_media', req),
    requestNew: (req) => call<RequestView>('request_new', req),
    requestGet: (req) => call<RequestView>('request_get', req),
    requestList: (req) => call<RequestView[]>('request_list', req),
    requestOutcomes: () => call<OutcomeView[]>('request_outcomes'),
    requestChange: (req) => call<RequestView>('request_change', req),
    reportAnnual: (req) => call<AnnualReport>('report_annual', req),
    reportTextSave: (req) => call<ReportTexts>('report_text_save', req),
    reportFigureSet: (req) => call<FigureView[]>('report_figure_set', req),
    reportFiguresSend: (req) => call<WrittenFile>('report_figures_send', req),
    reportFiguresQueue: (req) => call<FiguresQueued>('report_figures_queue', req),
    dutiesBoard: (req) => call<DutyBoardView>('duties_board', req),
    dutiesRecord: (req) => call<DutyBoardView>('duties_record', req),
    dutiesExport: (req) => call<WrittenFile>('duties_export', req),
    reviewYearEnd: (req) => call<YearEndView>('review_year_end', req),
    reviewYearEndDecide: (req) => call<YearEndView>('review_year_end_decide', req),
    reviewYearEndFinish: (req) => call<YearEndView>('review_year_end_finish', req),
    dutiesSetPeriod: (req) => call<DutyBoardView>('duties_set_period', req),
    consultWindow: (req) => call<WindowView>('consult_window', req),
    consultGet: (req) => call<ConsultView | null>('consult_get', req),
    consultOpen: (req) => call<ConsultView>('consult_open', req),
    consultCommentAdd: (req) => call<ConsultView>('consult_comment_add', req),
    consultCommentImport: (req) => call<ConsultView>('consult_comment_import', req),
    consultCommentDecide: (req) => call<ConsultView>('consult_comment_decide', req),
    consultFeedback: (req) => call<ConsultView>('consult_feedback', req),
    consultFeedbackKeep: (req) => call<ConsultView>('consult_feedback_keep', req),
    consultFeedbackConfirm: (req) => call<ConsultView>('consult_feedback_confirm', req),
    consultClose: (req) => call<ConsultView>('consult_close', req),
    reportFiguresReceive: (req) => call<FiguresCollection>('report_figures_receive', req),
    reportFiguresCollection: (req) => call<FiguresCollection>('report_figures_collection', req),
    requestLetter: (req) => call<WrittenFile>('request_letter', req),
    reportExport: (req) => call<WrittenFile>('report_export', req),
  }
}

export const BACKEND_KEY: InjectionKey<Backend> = Symbol('backend')
