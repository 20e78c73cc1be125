// Autosave of a value that is saved as a whole on top of a base revision (the interpretation
// package): debounced saves, one in flight at a time, retries with backoff, a stop on Conflict.
// The same behaviour as AutosaveController (documents), for any JSON value.
import type { ApiError } from '../bindings/ApiError'
import { normalizeError } from '../api/backend'
import { DEBOUNCE_MS, backoffDelay, type SaveStatus } from './autosave'

export interface ValueAutosaveState {
  status: SaveStatus
  savedAt: Date | null
  error: ApiError | null
  /** The head the next save builds on (null before the first save). */
  baseRevId: string | null
  failures: number
  retryInMs: number | null
}

export interface ValueAutosaveOptions<T, R> {
  value: T
  baseRevId: string | null
  savedAt?: Date | null
  /** Saves `value` on top of `base`. */
  save: (base: string | null, value: T) => Promise<R>
  /** The new head revision of a save's reply. */
  headOf: (resp: R) => string | null
  debounceMs?: number
  now?: () => Date
  onSaved?: (resp: R, value: T) => void
  onState?: (state: ValueAutosaveState) => void
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

export class ValueAutosave<T, R> {
  private readonly opts: ValueAutosaveOptions<T, R>
  private latest: T
  private savedKey: string
  private debounceTimer: ReturnType<typeof setTimeout> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private inFlight: Promise<void> | null = null
  private again = false
  private disposed = false
  readonly state: ValueAutosaveState

  constructor(opts: ValueAutosaveOptions<T, R>) {
    this.opts = opts
    this.latest = clone(opts.value)
    this.savedKey = JSON.stringify(opts.value)
    this.state = {
      status: 'saved',
      savedAt: opts.savedAt ?? null,
      error: null,
      baseRevId: opts.baseRevId,
      failures: 0,
      retryInMs: null,
    }
  }

  get value(): T {
    return this.latest
  }

  get hasUnsaved(): boolean {
    return JSON.stringify(this.latest) !== this.savedKey
  }

  update(value: T): void {
    if (this.disposed) return
    this.latest = clone(value)
    if (!this.hasUnsaved && this.state.status === 'dirty') {
      // Typed back to what is saved: nothing to do.
      this.clearDebounce()
      this.setState({ status: 'saved' })
      return
    }
    if (!this.hasUnsaved) return
    const st = this.state.status
    if (st === 'failed' || st === 'conflict') return
    if (st !== 'saving') this.setState({ status: 'dirty' })
    this.clearDebounce()
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null
      void this.pump()
    }, this.opts.debounceMs ?? DEBOUNCE_MS)
  }

  /** Save now; resolves true when nothing is left unsaved. */
  async saveNow(): Promise<boolean> {
    if (this.disposed || this.state.status === 'conflict') return !this.hasUnsaved
    this.clearDebounce()
    this.clearRetry()
    if (this.hasUnsaved && this.state.status === 'failed') this.setState({ status: 'dirty', retryInMs: null })
    await this.pump()
    const after: SaveStatus = this.state.status as SaveStatus
    if (this.hasUnsaved && !this.retryTimer && after !== 'conflict' && after !== 'failed') await this.pump()
    return !this.hasUnsaved
  }

  flush(): Promise<boolean> {
    return this.saveNow()
  }

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
      const value = clone(this.latest)
      const key = JSON.stringify(value)
      this.setState({ status: 'saving' })
      let resp: R
      try {
        resp = await this.opts.save(this.state.baseRevId, value)
      } catch (e) {
        this.fail(normalizeError(e))
        break
      }
      this.savedKey = key
      const clean = !this.hasUnsaved
      this.setState({
        status: clean ? 'saved' : 'dirty',
        baseRevId: this.opts.headOf(resp),
        savedAt: this.opts.now ? this.opts.now() : new Date(),
        error: null,
        failures: 0,
        retryInMs: null,
      })
      if (!clean && !this.debounceTimer) this.again = true
      this.opts.onSaved?.(resp, value)
    } while (this.again)
  }

  private fail(error: ApiError): void {
    this.clearDebounce()
    this.clearRetry()
    if (error.code === 'Conflict') {
      this.setState({ status: 'conflict', error, retryInMs: null })
      return
    }
    const failures = this.state.failures + 1
    const delay = backoffDelay(failures)
    if (!this.disposed) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        this.setState({ status: 'dirty', retryInMs: null })
        void this.pump()
      }, delay)
    }
    this.setState({ status: 'failed', error, failures, retryInMs: delay })
  }

  private clearDebounce(): void {
    if (this.debounceTimer) clearTimeout(this.debounceTimer)
    this.debounceTimer = null
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private setState(patch: Partial<ValueAutosaveState>): void {
    Object.assign(this.state, patch)
    this.opts.onState?.({ ...this.state })
  }
}
