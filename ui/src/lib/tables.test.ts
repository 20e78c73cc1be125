import { describe, expect, it } from 'vitest'
import type { BodyTable } from '../bindings/BodyTable'
import { layoutTable } from './tables'

const cell = (text: string, span = 1, merge: 'none' | 'start' | 'continue' = 'none') => ({ text, span, merge, middle: false })

describe('tables laid out for display', () => {
  it('spans across and down as Word merges them', () => {
    const t: BodyTable = {
      at: 0,
      widths: [],
      rows: [
        [cell('事项'), cell('责任部门'), cell('完成情况')],
        [cell('材料汇总', 1, 'start'), cell('办公室'), cell('进行中')],
        [cell('', 1, 'continue'), cell('综合处'), cell('已完成')],
        [cell('备注'), cell('含合并单元格', 2)],
      ],
    }
    const l = layoutTable(t)
    expect(l[1][0]).toMatchObject({ text: '材料汇总', rowspan: 2, colspan: 1 })
    // The continued cell is not shown; the row keeps its other cells.
    expect(l[2].map((c) => c.text)).toEqual(['综合处', '已完成'])
    expect(l[2][0].index).toBe(1)
    expect(l[3][1]).toMatchObject({ text: '含合并单元格', colspan: 2, col: 1 })
  })
})
