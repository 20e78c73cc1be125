// The real API's answers for the fake backend. No rule lives in TypeScript: when a component
// under test needs a rule's answer (is this attribute complete, what does the package lack, which
// gates are closed, may the document move), the fake asks it here, and the answer is the one the
// real Rust API gave to the same question (`crates/api/tests/ui_oracle.rs` writes
// `oracle/answers.json`; `scripts/test.sh` fails when that file is out of date).
//
// A question with no recorded answer fails the test. `bash scripts/ui-oracle.sh` runs the UI
// tests with ORACLE_RECORD=1 (each question asked is written to `oracle/asked/`), makes them
// `oracle/queries.json`, has the API answer them, and runs the tests again.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { vi } from 'vitest'
import type { ApiError } from '../bindings/ApiError'

type Entry = { kind: string; input: unknown; answer: unknown }

/** JSON with object keys sorted, `undefined` dropped: one spelling per question. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>)
            .filter(([, y]) => y !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  )
}

// Vitest runs with the UI folder as its root.
const here = join(process.cwd(), 'src', 'test', 'oracle')
const entries = JSON.parse(readFileSync(join(here, 'answers.json'), 'utf8')) as Entry[]
const answers = new Map<string, unknown>(entries.map((e) => [`${e.kind} ${canonical(e.input)}`, e.answer]))

/** Questions asked in this test file that had no recorded answer (checked after each test). */
export const unanswered: string[] = []

/** 2026-11-23 10:00 in Beijing, the API tests' day. */
export const TEST_DAY = new Date('2026-11-23T02:00:00Z')

/**
 * Fixes the date the window sees at TEST_DAY for this test (timers stay real), so a date the
 * window fills in by itself (today) is the same in the question on every day the suite runs.
 */
export function onTestDay() {
  vi.useFakeTimers({ toFake: ['Date'], now: TEST_DAY })
}

/** Today's date where the suite runs, from the performance clock (not faked by onTestDay). */
function realToday(): string {
  const d = new Date(performance.timeOrigin + performance.now())
  const cst = new Date(d.getTime() + 8 * 3600_000)
  return cst.toISOString().slice(0, 10)
}

/** The real API's answer to a question of `kind` about `input`. */
export function ask<T>(kind: string, input: unknown): T {
  const key = `${kind} ${canonical(input ?? null)}`
  if (!vi.isFakeTimers() && key.includes(realToday()))
    throw new Error(`this question holds today's date, so its answer would be missing tomorrow: call onTestDay() at the start of the test. ${key.slice(0, 200)}`)
  if (process.env.ORACLE_RECORD) {
    // Every question asked, answered or not: the script keeps exactly these.
    const dir = join(here, 'asked')
    mkdirSync(dir, { recursive: true })
    const name = createHash('sha256').update(key).digest('hex').slice(0, 24)
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ kind, input: JSON.parse(canonical(input ?? null)) }))
  }
  if (answers.has(key)) return structuredClone(answers.get(key)) as T
  unanswered.push(key)
  throw new Error(`no recorded answer from the real API for: ${key.slice(0, 300)} — run bash scripts/ui-oracle.sh`)
}

/** An answer recorded as `{ok}` or `{err}`: the value, or the API's error thrown as the backend throws it. */
export function askResult<T>(kind: string, input: unknown): T {
  const a = ask<{ ok?: T; err?: ApiError }>(kind, input)
  if (a.err) throw a.err
  return a.ok as T
}
