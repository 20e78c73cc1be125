// The editor form: DocFields as the inputs hold them (text for the array fields, 'none' for
// the optional enums), and the conversions both ways.
import type { ClassificationLevel } from '../bindings/ClassificationLevel'
import type { BodyTable } from '../bindings/BodyTable'
import type { DocFields } from '../bindings/DocFields'
import type { DocFormat } from '../bindings/DocFormat'
import type { DocType } from '../bindings/DocType'
import type { Urgency } from '../bindings/Urgency'
import {
  attachmentsToText,
  bodyToText,
  signersToText,
  textToAttachments,
  textToBody,
  textToSigners,
} from './text'

export interface EditorForm {
  doc_type: DocType
  format: DocFormat
  issuing_authority: string
  /** 联合行文: the other issuers, separated by 、 or commas. */
  co_issuers_text: string
  doc_number: string
  title: string
  main_recipients: string
  cc: string
  classification_level: ClassificationLevel | 'none'
  classification_period: string
  urgency: Urgency | 'none'
  date_written: string | null
  signers_text: string
  attachments_text: string
  notes: string
  body_text: string
  printing_office: string
  printed_on: string | null
  mark: string
  tables: BodyTable[]
  /** The source's unfilled 成文日期 (a template's 20XX年XX月XX日), until a date is chosen. */
  date_text: string
}

export function fieldsToForm(f: DocFields): EditorForm {
  return {
    doc_type: f.doc_type,
    format: f.format ?? 'file',
    issuing_authority: f.issuing_authority,
    co_issuers_text: signersToText(f.co_issuers ?? []),
    doc_number: f.doc_number,
    title: f.title,
    main_recipients: f.main_recipients,
    cc: f.cc,
    classification_level: f.classification?.level ?? 'none',
    classification_period: f.classification?.period ?? '',
    urgency: f.urgency ?? 'none',
    date_written: f.date_written,
    signers_text: signersToText(f.signers),
    attachments_text: attachmentsToText(f.attachments),
    notes: f.notes,
    body_text: bodyToText(f.body),
    printing_office: f.printing_office ?? '',
    printed_on: f.printed_on ?? null,
    mark: f.mark ?? '',
    tables: JSON.parse(JSON.stringify(f.tables ?? [])) as BodyTable[],
    date_text: f.date_text ?? '',
  }
}

export function formToFields(form: EditorForm): DocFields {
  return {
    doc_type: form.doc_type,
    issuing_authority: form.issuing_authority,
    doc_number: form.doc_number,
    title: form.title,
    main_recipients: form.main_recipients,
    cc: form.cc,
    classification:
      form.classification_level === 'none'
        ? null
        : { level: form.classification_level, period: form.classification_period.trim() },
    urgency: form.urgency === 'none' ? null : form.urgency,
    date_written: form.date_written ? form.date_written : null,
    signers: textToSigners(form.signers_text),
    attachments: textToAttachments(form.attachments_text),
    notes: form.notes,
    body: textToBody(form.body_text),
    format: form.format,
    co_issuers: textToSigners(form.co_issuers_text),
    printing_office: form.printing_office.trim(),
    printed_on: form.printed_on ? form.printed_on : null,
    mark: form.mark.trim(),
    tables: JSON.parse(JSON.stringify(form.tables)) as BodyTable[],
    // A chosen date replaces the template's slot.
    date_text: form.date_written ? '' : form.date_text,
  }
}

/** Inserts `text` into `value` replacing [start, end); returns the new value and caret. */
export function insertAt(value: string, start: number, end: number, text: string, caretOffset = text.length) {
  const s = Math.max(0, Math.min(start, value.length))
  const e = Math.max(s, Math.min(end, value.length))
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + caretOffset }
}

/** The UTF-16 offset where line `index` of `text` starts (for jumping to a paragraph). */
export function lineOffset(text: string, index: number): number {
  let pos = 0
  for (let i = 0; i < index; i++) {
    const nl = text.indexOf('\n', pos)
    if (nl < 0) return text.length
    pos = nl + 1
  }
  return pos
}
