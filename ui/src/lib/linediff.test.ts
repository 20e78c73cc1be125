import { describe, expect, it } from 'vitest'
import { lineDiff, unionLines } from './linediff'

describe('lineDiff', () => {
  it('keeps common lines and marks the rest by side', () => {
    const d = lineDiff(['一、总则', '二、A 的条款', '三、附则'], ['一、总则', '二、B 的条款', '三、附则'])
    expect(d).toEqual([
      { kind: 'same', text: '一、总则' },
      { kind: 'del', text: '二、A 的条款' },
      { kind: 'add', text: '二、B 的条款' },
      { kind: 'same', text: '三、附则' },
    ])
  })
  it('handles empty sides and identical versions', () => {
    expect(lineDiff([], ['x'])).toEqual([{ kind: 'add', text: 'x' }])
    expect(lineDiff(['x'], [])).toEqual([{ kind: 'del', text: 'x' }])
    expect(lineDiff(['a', 'b'], ['a', 'b']).every((l) => l.kind === 'same')).toBe(true)
  })
  it('a union holds every line of both versions once per occurrence', () => {
    expect(unionLines(['a', 'b', 'd'], ['a', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd'])
  })
})
