// Every test: a question the fake backend asked with no recorded answer from the real API fails
// the test it was asked in, even when the component under test caught the error.
import { afterEach } from 'vitest'
import { unanswered } from './oracle'

afterEach(() => {
  if (unanswered.length) {
    const asked = unanswered.splice(0)
    throw new Error(
      `the fake backend asked ${asked.length} question(s) the real API has not answered; run bash scripts/ui-oracle.sh:\n${asked.join('\n').slice(0, 2000)}`,
    )
  }
})
