// Autosave for one open document: debounced saves, one save in flight at a time, retries with
// backoff on failure, and a stop on Conflict. Plain TypeScript so it can be tested with fake timers.
import type { ApiError } from '../bindings/ApiError'
import type { DocFields } from '../bindings/DocFields'
import type { SaveRequest } from '../bindings/SaveRequest'
import type { SaveResponse } from '../bindings/SaveResponse'
import { normalizeError } from '../api/backend'
import type { DraftStore } from './drafts'
import { cloneFields } from './text'

/** saved: nothing pending; dirty: changes not yet saved; saving: a save is in flight;
 *  failed: the last save failed and a retry is scheduled; conflict: saving stopped. */
export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'failed' | 'conflict'

export const STATUS_TEXT: Record<SaveStatus, string> = {
  saved: '已保存',
  dirty: '未保存',
  saving: '保存中…',
  failed: '保存失败，将自动重试',
  // Saving has stopped; the alert next to the indicator says why and offers 重新打开.
  conflict: '未保存',
}

export const DEBOUNCE_MS = 1000

/** Retry delay after the n-th consecutive failure (n from 1): 2 s, 4 s, 8 s … capped at 30 s. */
export function backoffDelay(failures: number): number {
  const n = Math.max(1, failures)
  return Math.min(2000 * 2 ** (n - 1), 30000)
}

export interface AutosaveState {
  status: SaveStatus
  savedAt: Date | null
  error: ApiError | null
  baseRevId: string
  /** Consecutive failures since the last successful save. */
  failures: number
  /** Delay of the scheduled retry, when status is failed. */
  retryInMs: number | null
}

export interface AutosaveOptions {
  docId: string
  baseRevId: string
  fields: DocFields
  savedAt?: Date | null
  save: (req: SaveRequest) => Promise<SaveResponse>
  drafts?: DraftStore
  debounceMs?: number
  now?: () => Date
  /** Called after every successful save with the fields that were saved. */
  onSaved?: (resp: SaveResponse, fields: DocFields) => void
  onState?: (state: AutosaveState) => void
}

export class AutosaveController {
  private readonly opts: AutosaveOptions
  private latest: DocFields
  private version = 0
  private savedVersion = 0
  private debounceTimer: ReturnType<typeof setTimeout> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private inFlight: Promise<void> | null = null
  private again = false
  private disposed = false
  readonly state: AutosaveState

  constructor(opts: AutosaveOptions) {
    this.opts = opts
    this.latest = cloneFields(opts.fields)
    this.state = {
      status: 'saved',
      savedAt: opts.savedAt ?? null,
      error: null,
      baseRevId: opts.baseRevId,
      failures: 0,
      retryInMs: null,
    }
  }

  get status(): SaveStatus {
    return this.state.status
  }

  get fields(): DocFields {
    return this.latest
  }

  get hasUnsaved(): boolean {
    return this.version !== this.savedVersion
  }

  /** The fields changed: remember them and save shortly after the last change. */
  update(fields: DocFields): void {
    if (this.disposed) return
    this.latest = cloneFields(fields)
    this.version++
    const st = this.state.status
    if (st === 'failed' || st === 'conflict') {
      // The scheduled retry (or nothing, on conflict) saves these; keep the local copy current.
      this.mirrorDraft()
      return
    }
    if (st !== 'saving') this.setState({ status: 'dirty' })
    this.clearDebounce()
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null
      void this.pump()
    }, this.opts.debounceMs ?? DEBOUNCE_MS)
  }

  /** Save now (Ctrl+S), also cutting a scheduled retry short. Resolves when done. */
  async saveNow(): Promise<boolean> {
    if (this.disposed || this.state.status === 'conflict') return !this.hasUnsaved
    this.clearDebounce()
    this.clearRetry()
    if (this.hasUnsaved && this.state.status === 'failed') this.setState({ status: 'dirty', retryInMs: null })
    await this.pump()
    // A save that was in flight when we were called may have saved older fields.
    const after = this.status
    if (this.hasUnsaved && !this.retryTimer && after !== 'conflict' && after !== 'failed') {
      await this.pump()
    }
    return !this.hasUnsaved
  }

  /** Save anything pending before the document is left or the window closes. */
  flush(): Promise<boolean> {
    return this.saveNow()
  }

  /** Stop all timers; nothing is saved afterwards. */
  dispose(): void {
    this.disposed = true
    this.clearDebounce()
    this.clearRetry()
  }

  private pump(): Promise<void> {
    if (this.inFlight) {
      this.again = true
      return this.inFlight
    }
    this.inFlight = this.loop().finally(() => {
      this.inFlight = null
    })
    return this.inFlight
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      if (this.disposed || !this.hasUnsaved || this.state.status === 'conflict') break
      const version = this.version
      const fields = cloneFields(this.latest)
      this.setState({ status: 'saving' })
      let resp: SaveResponse
      try {
        resp = await this.opts.save({
          doc_id: this.opts.docId,
          base_rev_id: this.state.baseRevId,
          fields,
        })
      } catch (e) {
        this.fail(normalizeError(e))
        break
      }
      this.savedVersion = version
      const clean = !this.hasUnsaved
      if (clean) this.opts.drafts?.clear(this.opts.docId)
      this.setState({
        status: clean ? 'saved' : 'dirty',
        baseRevId: resp.head.rev_id,
        savedAt: this.now(),
        error: null,
        failures: 0,
        retryInMs: null,
      })
      if (!clean && !this.debounceTimer) this.again = true
      this.opts.onSaved?.(resp, fields)
    } while (this.again)
  }

  private fail(error: ApiError): void {
    this.mirrorDraft()
    if (error.code === 'Conflict') {
      this.clearDebounce()
      this.clearRetry()
      this.setState({ status: 'conflict', error, retryInMs: null })
      return
    }
    const failures = this.state.failures + 1
    const delay = backoffDelay(failures)
    this.clearDebounce()
    this.clearRetry()
    if (!this.disposed) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        this.setState({ status: 'dirty', retryInMs: null })
        void this.pump()
      }, delay)
    }
    this.setState({ status: 'failed', error, failures, retryInMs: delay })
  }

  private mirrorDraft(): void {
    this.opts.drafts?.save(this.opts.docId, {
      fields: cloneFields(this.latest),
      base_rev_id: this.state.baseRevId,
      stored_at: this.now().toISOString(),
    })
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date()
  }

  private clearDebounce(): void {
    if (this.debounceTimer) clearTimeout(this.debounceTimer)
    this.debounceTimer = null
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private setState(patch: Partial<AutosaveState>): void {
    Object.assign(this.state, patch)
    this.opts.onState?.({ ...this.state })
  }
}
