// A line diff for showing two versions of a 冲突 document side by side (presentation only: which
// version wins is the clerk's choice, saved through doc_resolve). Longest common subsequence over
// lines; documents have hundreds of lines at most.
export type DiffLine = { kind: 'same' | 'del' | 'add'; text: string }

/** The lines of `a` and `b` in order: kept in both, only in `a` (del), only in `b` (add). */
export function lineDiff(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length
  const m = b.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
    }
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] })
      i++
      j++
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push({ kind: 'del', text: a[i++] })
    } else {
      out.push({ kind: 'add', text: b[j++] })
    }
  }
  while (i < n) out.push({ kind: 'del', text: a[i++] })
  while (j < m) out.push({ kind: 'add', text: b[j++] })
  return out
}

/** A starting point for a hand merge: every line of both versions, in diff order. */
export function unionLines(a: readonly string[], b: readonly string[]): string[] {
  return lineDiff(a, b).map((l) => l.text)
}
