import { afterEach, describe, expect, it } from 'vitest'
import type { DeidFinding } from '../bindings/DeidFinding'
import { contextSnippet, rangeToOffsets, splitLines, trimSpan } from './deid'

function f(id: string, start: number, end: number, over: Partial<DeidFinding> = {}): DeidFinding {
  return {
    id,
    kind: 'person_name',
    label: '自然人姓名',
    start,
    end,
    text: '',
    confidence: 0.9,
    reason: '',
    source: 'scan',
    decision: 'pending',
    replacement: '某',
    edited: false,
    ...over,
  }
}

const cp = (s: string) => Array.from(s)

describe('splitLines', () => {
  it('splits lines at \\n and cuts plain/highlight segments in code points', () => {
    const text = '甲😀张伟乙\n电话13812345678'
    // 甲=0 😀=1 张=2 伟=3 乙=4 \n=5 电=6 话=7 digits 8..19
    const lines = splitLines(text, [f('a', 2, 4), f('b', 8, 19)])
    expect(lines).toHaveLength(2)
    expect(lines[0].start).toBe(0)
    expect(lines[0].segments.map((s) => [s.type, s.start, s.end, s.text])).toEqual([
      ['plain', 0, 2, '甲😀'],
      ['finding', 2, 4, '张伟'],
      ['plain', 4, 5, '乙'],
    ])
    expect(lines[1].start).toBe(6)
    expect(lines[1].segments.map((s) => [s.type, s.start, s.end, s.text])).toEqual([
      ['plain', 6, 8, '电话'],
      ['finding', 8, 19, '13812345678'],
    ])
  })

  it('keeps touching findings apart and handles findings at line edges', () => {
    const text = '张伟李四\n王五'
    const lines = splitLines(text, [f('b', 2, 4), f('a', 0, 2), f('c', 5, 7)])
    expect(lines[0].segments.map((s) => (s.type === 'finding' ? s.finding.id : 'plain'))).toEqual(['a', 'b'])
    expect(lines[1].segments.map((s) => (s.type === 'finding' ? `${s.finding.id}:${s.text}` : 'plain'))).toEqual(['c:王五'])
  })

  it('keeps empty lines and drops an overlapping finding instead of showing text twice', () => {
    const text = '甲乙丙\n\n丁'
    const lines = splitLines(text, [f('a', 0, 2), f('x', 1, 3)])
    expect(lines.map((l) => l.start)).toEqual([0, 4, 5])
    expect(lines[1].segments).toEqual([])
    expect(lines[0].segments.map((s) => s.text)).toEqual(['甲乙', '丙'])
    const joined = lines.map((l) => l.segments.map((s) => s.text).join('')).join('\n')
    expect(joined).toBe(text)
  })

  it('shows a finding that crosses a line break on both lines', () => {
    const lines = splitLines('甲乙\n丙丁', [f('a', 1, 4)])
    expect(lines[0].segments.map((s) => [s.type, s.text])).toEqual([
      ['plain', '甲'],
      ['finding', '乙'],
    ])
    expect(lines[1].segments.map((s) => [s.type, s.text])).toEqual([
      ['finding', '丙'],
      ['plain', '丁'],
    ])
  })
})

describe('contextSnippet', () => {
  it('takes about ten characters either side, with … where the line goes on', () => {
    const text = '一二三四五六七八九十甲乙丙丁戊张伟己庚辛壬癸子丑寅卯辰巳午未'
    const chars = cp(text)
    const s = text.indexOf('张伟')
    const c = contextSnippet(chars, s, s + 2)
    expect(c).toEqual({ before: '…六七八九十甲乙丙丁戊', match: '张伟', after: '己庚辛壬癸子丑寅卯辰…' })
  })

  it('stops at line breaks and counts an emoji as one character', () => {
    const text = '上一行\n😀处罚张伟。\n下一行'
    const chars = cp(text)
    // 😀=4, 处=5 罚=6 张=7 伟=8
    const c = contextSnippet(chars, 7, 9, 10)
    expect(c).toEqual({ before: '😀处罚', match: '张伟', after: '。' })
    expect(contextSnippet(chars, 7, 9, 1)).toEqual({ before: '…罚', match: '张伟', after: '。' })
  })
})

describe('trimSpan', () => {
  it('trims white space around a selection', () => {
    const chars = cp(' 丫丫 \n张伟')
    expect(trimSpan(chars, 0, 4)).toEqual({ start: 1, end: 3 })
    expect(trimSpan(chars, 3, 5)).toBeNull()
  })
})

describe('rangeToOffsets', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  // The structure DeidView renders: lines with data-start; plain and highlighted segments with
  // data-start; an accepted finding shows its replacement in a data-at span.
  function build() {
    document.body.innerHTML = `
      <p id="outside">外面的文字</p>
      <div id="root"><div data-start="0"><span data-start="0">违法😀人：</span><span class="hl"><s data-start="6">张伟</s><span data-at="8">张某</span></span><span data-start="8">，手机</span><span class="hl"><span data-start="11">13812345678</span></span></div><div data-start="23"><span data-start="23">陪同人员为丫丫。</span></div></div>`
    // Text: 违法😀人：张伟，手机13812345678\n陪同人员为丫丫。
    //       0 1 2 3 4 5 6 7 8 9 10 11..21  22 23 ...
    const root = document.getElementById('root')!
    const text = (sel: string) => root.querySelector(sel)!.firstChild as Text
    return { root, text }
  }

  function range(sc: Node, so: number, ec: Node, eo: number) {
    const r = document.createRange()
    r.setStart(sc, so)
    r.setEnd(ec, eo)
    return r
  }

  it('maps Chinese text after an emoji to code points, not UTF-16 units', () => {
    const { root, text } = build()
    const t = text('[data-start="0"] > span[data-start="0"]')
    // "人：" starts at UTF-16 index 4 (😀 is two units) but code point 3.
    expect(t.data.indexOf('人')).toBe(4)
    expect(rangeToOffsets(root, range(t, 4, t, 6))).toEqual({ start: 3, end: 5 })
    // The emoji itself is one code point.
    expect(rangeToOffsets(root, range(t, 2, t, 4))).toEqual({ start: 2, end: 3 })
  })

  it('maps a selection spanning two segments and two lines', () => {
    const { root, text } = build()
    const phone = text('span[data-start="11"]')
    const second = text('span[data-start="23"]')
    expect(rangeToOffsets(root, range(text('span[data-start="8"]'), 1, phone, 3))).toEqual({ start: 9, end: 14 })
    expect(rangeToOffsets(root, range(phone, 9, second, 2))).toEqual({ start: 20, end: 25 })
    const i = second.data.indexOf('丫丫')
    expect(rangeToOffsets(root, range(second, i, second, i + 2))).toEqual({ start: 28, end: 30 })
  })

  it('maps a point inside a shown replacement to the end of the finding', () => {
    const { root, text } = build()
    const repl = text('span[data-at="8"]')
    expect(rangeToOffsets(root, range(repl, 1, text('span[data-start="8"]'), 3))).toEqual({ start: 8, end: 11 })
    expect(rangeToOffsets(root, range(text('s[data-start="6"]'), 0, repl, 1))).toEqual({ start: 6, end: 8 })
  })

  it('maps element boundaries to the nearest text', () => {
    const { root } = build()
    const line1 = root.children[0]
    const line2 = root.children[1]
    // Whole first line selected as element children 0..end.
    expect(rangeToOffsets(root, range(line1, 0, line1, line1.childNodes.length))).toEqual({ start: 0, end: 22 })
    // From the start of line 2 to the end of the container.
    expect(rangeToOffsets(root, range(line2, 0, root, root.childNodes.length))).toEqual({ start: 23, end: 31 })
  })

  it('returns null outside the container or for a collapsed range, and clips a range reaching out', () => {
    const { root, text } = build()
    const out = document.getElementById('outside')!.firstChild as Text
    expect(rangeToOffsets(root, range(out, 0, out, 3))).toBeNull()
    const t = text('span[data-start="23"]')
    expect(rangeToOffsets(root, range(t, 2, t, 2))).toBeNull()
    expect(rangeToOffsets(root, range(out, 1, text('span[data-start="0"]'), 2))).toEqual({ start: 0, end: 2 })
  })
})
