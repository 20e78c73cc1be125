// The one place the UI talks to the Rust side. Every command takes at most one argument,
// named `req`; every failure becomes an `ApiError` with a Chinese message for the clerk.
import { invoke } from '@tauri-apps/api/core'
import type { InjectionKey } from 'vue'
import type { ApiError } from '../bindings/ApiError'
import type { AppStatus } from '../bindings/AppStatus'
import type { Clerk } from '../bindings/Clerk'
import type { CreateDocRequest } from '../bindings/CreateDocRequest'
import type { DeidApplied } from '../bindings/DeidApplied'
import type { DeidDecideRequest } from '../bindings/DeidDecideRequest'
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
  /** Fails with `DeidPending` while any finding is undecided. */
  deidApply(req: DocRef): Promise<DeidApplied>
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
    deidApply: (req) => call<DeidApplied>('deid_apply', req),
  }
}

export const BACKEND_KEY: InjectionKey<Backend> = Symbol('backend')
