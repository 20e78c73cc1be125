// A BodyTable laid out for an HTML table: which cells show, with their colspan and rowspan.
// Word's vertical merge is a Start cell followed, in the same grid column of the rows below, by
// Continue cells; those are not shown, the Start cell spans them.
import type { BodyTable } from '../bindings/BodyTable'

export interface ShownCell {
  /** Index of the cell in its row of `BodyTable.rows`. */
  index: number
  /** First grid column the cell covers. */
  col: number
  colspan: number
  rowspan: number
  text: string
}

export function layoutTable(t: BodyTable): ShownCell[][] {
  // Grid column of each cell.
  const cols = t.rows.map((row) => {
    let c = 0
    return row.map((cell) => {
      const at = c
      c += Math.max(1, cell.span)
      return at
    })
  })
  const continuesAt = (r: number, col: number) =>
    t.rows[r]?.some((cell, i) => cols[r][i] === col && cell.merge === 'continue') ?? false
  return t.rows.map((row, r) =>
    row.flatMap((cell, i) => {
      if (cell.merge === 'continue') return []
      let rowspan = 1
      if (cell.merge === 'start') {
        while (continuesAt(r + rowspan, cols[r][i])) rowspan++
      }
      return [{ index: i, col: cols[r][i], colspan: Math.max(1, cell.span), rowspan, text: cell.text }]
    }),
  )
}
