import { describe, expect, it, vi } from 'vitest'
import { createBackend, isApiError, normalizeError } from './backend'

describe('normalizeError', () => {
  it('passes an ApiError through', () => {
    const e = { code: 'SaveFailed', message: '磁盘已满，请清理后重试。' }
    expect(normalizeError(e)).toEqual(e)
  })
  it('turns a string into Internal, keeping the text', () => {
    const e = normalizeError('command doc_foo not found')
    expect(e.code).toBe('Internal')
    expect(e.message).toContain('command doc_foo not found')
  })
  it('turns an Error into Internal', () => {
    const e = normalizeError(new TypeError('x is undefined'))
    expect(e.code).toBe('Internal')
    expect(e.message).toContain('x is undefined')
  })
  it('does not trust objects with an unknown code', () => {
    expect(isApiError({ code: 'Nope', message: 'm' })).toBe(false)
    const e = normalizeError({ code: 'Nope', message: 'm' })
    expect(e.code).toBe('Internal')
    expect(e.message).toContain('m')
  })
  it('handles null and undefined', () => {
    expect(normalizeError(undefined).code).toBe('Internal')
    expect(normalizeError(null).message.length).toBeGreaterThan(0)
  })
})

describe('createBackend', () => {
  it('passes the request as the single argument `req`', async () => {
    const invoke = vi.fn(async () => [])
    const b = createBackend(invoke)
    await b.docList({ in_bin: true })
    expect(invoke).toHaveBeenCalledWith('doc_list', { req: { in_bin: true } })
    await b.docSearch({ query: '治安' })
    expect(invoke).toHaveBeenLastCalledWith('doc_search', { req: { query: '治安' } })
  })
  it('calls the de-identification commands with `req`, and knows DeidPending', async () => {
    const invoke = vi.fn(async () => [])
    const b = createBackend(invoke)
    await b.deidKinds()
    expect(invoke).toHaveBeenLastCalledWith('deid_kinds', undefined)
    await b.deidReview({ doc_id: 'd' })
    expect(invoke).toHaveBeenLastCalledWith('deid_review', { req: { doc_id: 'd' } })
    const decide = { doc_id: 'd', rev_id: 'r', finding_ids: ['f'], decision: 'accepted' as const, replacement: '某' }
    await b.deidDecide(decide)
    expect(invoke).toHaveBeenLastCalledWith('deid_decide', { req: decide })
    await b.deidMark({ doc_id: 'd', rev_id: 'r', start: 1, end: 3, kind: 'nickname' })
    expect(invoke).toHaveBeenLastCalledWith('deid_mark', { req: { doc_id: 'd', rev_id: 'r', start: 1, end: 3, kind: 'nickname' } })
    await b.deidApply({ doc_id: 'd' })
    expect(invoke).toHaveBeenLastCalledWith('deid_apply', { req: { doc_id: 'd' } })
    const e = { code: 'DeidPending', message: '还有2处个人信息尚未确认。' }
    expect(normalizeError(e)).toEqual(e)
  })
  it('calls the publication commands with `req`, and knows GateClosed', async () => {
    const invoke = vi.fn(async () => null)
    const b = createBackend(invoke)
    const doc = { doc_id: 'd' }
    const calls: [() => Promise<unknown>, string, unknown][] = [
      [() => b.disclosureOptions(), 'disclosure_options', undefined],
      [() => b.packageGet(doc), 'package_get', doc],
      [() => b.packageImage({ sha256: 'ab' }), 'package_image', { sha256: 'ab' }],
      [() => b.disclosureGet(doc), 'disclosure_get', doc],
      [() => b.secrecyGet(doc), 'secrecy_get', doc],
      [() => b.workflowStatus(doc), 'workflow_status', doc],
      [() => b.workflowTransition({ doc_id: 'd', to: 'attribute_set', reason: '' }), 'workflow_transition', { doc_id: 'd', to: 'attribute_set', reason: '' }],
      [() => b.signoffRecord({ doc_id: 'd', signer: '刘', signed_on: '2026-11-23', opinion: '' }), 'signoff_record', { doc_id: 'd', signer: '刘', signed_on: '2026-11-23', opinion: '' }],
      [() => b.eventRecord({ doc_id: 'd', kind: 'published', date: '2026-11-23' }), 'event_record', { doc_id: 'd', kind: 'published', date: '2026-11-23' }],
      [() => b.deadlinePause({ doc_id: 'd', start: '2026-11-24', end: '2026-11-25', reason: '征求意见' }), 'deadline_pause', { doc_id: 'd', start: '2026-11-24', end: '2026-11-25', reason: '征求意见' }],
      [() => b.deadlinesPanel(), 'deadlines_panel', undefined],
      [() => b.calendarImport({ json: '{}' }), 'calendar_import', { json: '{}' }],
      [() => b.calendarInfo(), 'calendar_info', undefined],
      [() => b.packageImageAdd({ doc_id: 'd', file_name: 'a.png', data_base64: 'iVBO', caption: '' }), 'package_image_add', { doc_id: 'd', file_name: 'a.png', data_base64: 'iVBO', caption: '' }],
    ]
    for (const [call, cmd, req] of calls) {
      await call()
      expect(invoke).toHaveBeenLastCalledWith(cmd, req === undefined ? undefined : { req })
    }
    const e = { code: 'GateClosed', message: '还不能进入“属性已认定”：尚未确定公开属性' }
    expect(normalizeError(e)).toEqual(e)
  })
  it('calls the exchange commands by their Rust names with `req`', async () => {
    const invoke = vi.fn(async () => null)
    const b = createBackend(invoke)
    const file = { path: '/u/a.zip' }
    const decide = { submission_id: 's', decision: 'return', reasons: ['缺附件'], published_on: '', url: '', password: 'pw', path: '' }
    const calls: [() => Promise<unknown>, string, unknown][] = [
      [() => b.exchangeInfo(), 'exchange_info', undefined],
      [() => b.keysGenerate({ password: '12345678', algorithm: 'sm2-sm3' }), 'keys_generate', { password: '12345678', algorithm: 'sm2-sm3' }],
      [() => b.keysEnrolmentRequest({ password: 'pw', path: '/a.json' }), 'keys_enrolment_request', { password: 'pw', path: '/a.json' }],
      [() => b.keysEnrolmentForm({ path: '' }), 'keys_enrolment_form', { path: '' }],
      [() => b.officeKeyPin({ public_key: 'RWQ' }), 'office_key_pin', { public_key: 'RWQ' }],
      [() => b.bundleExport({ doc_id: 'd', password: 'pw', path: '' }), 'bundle_export', { doc_id: 'd', password: 'pw', path: '' }],
      [() => b.bundleList({ doc_id: 'd' }), 'bundle_list', { doc_id: 'd' }],
      [() => b.bundleRewrite({ submission_id: 's', path: '' }), 'bundle_rewrite', { submission_id: 's', path: '' }],
      [() => b.receiptImport(file), 'receipt_import', file],
      [() => b.trustList(), 'trust_list', undefined],
      [() => b.trustEnrol(file), 'trust_enrol', file],
      [() => b.trustActivate({ key_id: 'k', fingerprint: 'AB' }), 'trust_activate', { key_id: 'k', fingerprint: 'AB' }],
      [() => b.trustRetire({ key_id: 'k', overlap_days: 30 }), 'trust_retire', { key_id: 'k', overlap_days: 30 }],
      [() => b.trustRevoke({ key_id: 'k', reason: '电脑丢失' }), 'trust_revoke', { key_id: 'k', reason: '电脑丢失' }],
      [() => b.bundleVerify(file), 'bundle_verify', file],
      [() => b.intakeReceive(file), 'intake_receive', file],
      [() => b.intakeList(), 'intake_list', undefined],
      [() => b.intakeDecide(decide), 'intake_decide', decide],
      [() => b.syncConfig({ hub: 'http://127.0.0.1:8443' }), 'sync_config', { hub: 'http://127.0.0.1:8443' }],
      [() => b.syncStatus(), 'sync_status', undefined],
      [() => b.syncNow({ password: 'pw' }), 'sync_now', { password: 'pw' }],
      [() => b.syncBackgroundStart({ password: 'pw' }), 'sync_background_start', { password: 'pw' }],
      [() => b.syncBackgroundStop(), 'sync_background_stop', undefined],
      [() => b.syncConflicts(), 'sync_conflicts', undefined],
      [() => b.docResolve({ doc_id: 'd', keep_rev_id: 'r', records: [] }), 'doc_resolve', { doc_id: 'd', keep_rev_id: 'r', records: [] }],
      [() => b.syncExportMedia({ password: 'pw', path: '/u/a.zip', all: false }), 'sync_export_media', { password: 'pw', path: '/u/a.zip', all: false }],
      [() => b.syncImportMedia({ password: 'pw', path: '/u/a.zip' }), 'sync_import_media', { password: 'pw', path: '/u/a.zip' }],
    ]
    for (const [call, cmd, req] of calls) {
      await call()
      expect(invoke).toHaveBeenLastCalledWith(cmd, req === undefined ? undefined : { req })
    }
  })
  it('calls argument-less commands without arguments', async () => {
    const invoke = vi.fn(async () => [])
    const b = createBackend(invoke)
    await b.units()
    expect(invoke).toHaveBeenCalledWith('units', undefined)
  })
  it('rejects with a normalised ApiError', async () => {
    const b = createBackend(async () => {
      throw 'IPC failed'
    })
    await expect(b.appStatus()).rejects.toMatchObject({ code: 'Internal' })
    const c = createBackend(async () => {
      throw { code: 'Conflict', message: '已被修改' }
    })
    await expect(c.docSave({ doc_id: 'd', base_rev_id: 'r', fields: {} as never })).rejects.toEqual({
      code: 'Conflict',
      message: '已被修改',
    })
  })
})
