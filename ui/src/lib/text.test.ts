import { describe, expect, it } from 'vitest'
import {
  attachmentsToText,
  bodyToText,
  displayTitle,
  emptyFields,
  formatLocalTime,
  sameFields,
  signersToText,
  splitHighlights,
  textToAttachments,
  textToBody,
  textToSigners,
} from './text'

describe('body text ⇄ paragraphs', () => {
  it('keeps every line, empty ones included', () => {
    const text = '一、总体要求\n\n（一）工作目标\n坚持依法行政。\n'
    const body = textToBody(text)
    expect(body).toEqual(['一、总体要求', '', '（一）工作目标', '坚持依法行政。', ''])
    expect(bodyToText(body)).toBe(text)
  })
  it('treats CRLF as a line break', () => {
    expect(textToBody('甲\r\n乙\r丙')).toEqual(['甲', '乙', '丙'])
  })
  it('an empty textarea is one empty paragraph', () => {
    expect(textToBody('')).toEqual([])
    expect(textToBody(bodyToText([]))).toEqual([])
    expect(textToBody('\n')).toEqual(['', ''])
    expect(bodyToText([])).toBe('')
  })
})

describe('signers string ⇄ array', () => {
  it('splits on 、 and commas of either width, trimming blanks', () => {
    expect(textToSigners('张三、李四, 王五，赵六；  ')).toEqual(['张三', '李四', '王五', '赵六'])
    expect(textToSigners('  ')).toEqual([])
  })
  it('joins with 、 and round-trips', () => {
    const s = ['张三', '李四']
    expect(signersToText(s)).toBe('张三、李四')
    expect(textToSigners(signersToText(s))).toEqual(s)
  })
})

describe('attachments', () => {
  it('one per line, blank lines dropped', () => {
    expect(textToAttachments('1．名单\n\n 2．表格 \n')).toEqual(['1．名单', '2．表格'])
    expect(attachmentsToText(['a', 'b'])).toBe('a\nb')
  })
})

describe('formatLocalTime', () => {
  // vite.config.ts runs the tests with TZ=Asia/Shanghai (UTC+8).
  it('shows an ISO time in local time as YYYY-MM-DD HH:mm', () => {
    expect(formatLocalTime('2026-01-05T08:03:09Z')).toBe('2026-01-05 16:03')
    expect(formatLocalTime('2025-12-31T16:30:00Z')).toBe('2026-01-01 00:30')
    expect(formatLocalTime('2026-03-01T09:05:00+08:00')).toBe('2026-03-01 09:05')
  })
  it('returns unparseable or empty input as is', () => {
    expect(formatLocalTime('不是时间')).toBe('不是时间')
    expect(formatLocalTime('')).toBe('')
    expect(formatLocalTime(null)).toBe('')
  })
})

describe('splitHighlights', () => {
  it('marks code-point ranges in Chinese text', () => {
    expect(splitHighlights('关于加强治安管理的通知', [[2, 4], [4, 6]])).toEqual([
      { text: '关于', mark: false },
      { text: '加强治安', mark: true },
      { text: '管理的通知', mark: false },
    ])
  })
  it('counts an emoji as one code point, not two UTF-16 units', () => {
    const snippet = '😀通知😀治安管理'
    // code points: 😀0 通1 知2 😀3 治4 安5 管6 理7
    expect(splitHighlights(snippet, [[4, 6]])).toEqual([
      { text: '😀通知😀', mark: false },
      { text: '治安', mark: true },
      { text: '管理', mark: false },
    ])
    expect(splitHighlights(snippet, [[0, 1]])).toEqual([
      { text: '😀', mark: true },
      { text: '通知😀治安管理', mark: false },
    ])
  })
  it('sorts, merges overlaps and clamps out-of-range ranges', () => {
    expect(splitHighlights('甲乙丙丁', [[3, 9], [0, 2], [1, 2], [2, 2]])).toEqual([
      { text: '甲乙', mark: true },
      { text: '丙', mark: false },
      { text: '丁', mark: true },
    ])
    expect(splitHighlights('甲乙', [])).toEqual([{ text: '甲乙', mark: false }])
    expect(splitHighlights('', [[0, 3]])).toEqual([])
  })
})

describe('misc', () => {
  it('shows （无标题） for blank titles', () => {
    expect(displayTitle('')).toBe('（无标题）')
    expect(displayTitle('  ')).toBe('（无标题）')
    expect(displayTitle('通知')).toBe('通知')
  })
  it('compares fields regardless of key order', () => {
    const a = emptyFields()
    const b = Object.fromEntries(Object.entries(emptyFields()).reverse()) as typeof a
    expect(sameFields(a, b)).toBe(true)
    expect(sameFields(a, { ...b, title: 'x' })).toBe(false)
  })
})
