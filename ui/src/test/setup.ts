// Every test: a question the fake backend asked with no recorded answer from the real API fails
// the test it was asked in, even when the component caught it; and the day a test fixed with
// `onTestDay()` is given back.
import { afterEach, vi } from 'vitest'
import { unanswered } from './oracle'

afterEach(() => {
  vi.useRealTimers()
  if (unanswered.length) {
    const asked = unanswered.splice(0)
    throw new Error(
      `the fake backend asked ${asked.length} question(s) the real API has not answered; run bash scripts/ui-oracle.sh:\n${asked.join('\n').slice(0, 2000)}`,
    )
  }
})
