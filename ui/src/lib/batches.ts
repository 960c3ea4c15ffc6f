// What the Batches tab decides without asking the core: a profile form read
// into `profile_set` arguments (domains and privacy purposes parsed, each
// problem named) and back, the steps a run choice stands for, whether a
// batch is still moving (to poll it), what its buttons may do, its progress,
// and a merchant row's fix in the UI language.

import type { BatchItemView, BatchStep, BatchView, ProfileSetArgs, ProfileView } from '../api/types'
import { fixInLanguage } from './hint'
import { parseDomainList, type DomainProblem } from './releases'

/** The profile form as the operator types it. */
export interface ProfileForm {
  name: string
  templateId: number | null
  version: string
  desc: string
  extJson: string
  /** Request domains, one per line. */
  domains: string
  /** Privacy purposes, `Key: purpose` one per line. */
  purposes: string
  email: string
  notice: string
}

export function emptyProfileForm(): ProfileForm {
  return { name: '', templateId: null, version: '', desc: '', extJson: '', domains: '', purposes: '', email: '', notice: '' }
}

/** A form problem: the field and a message key (with its values). */
export interface FormProblem {
  field: 'name' | 'templateId' | 'extJson' | 'domains' | 'purposes' | 'email'
  key: string
  values?: Record<string, string | number>
}

/** One declared privacy purpose. */
export interface Purpose {
  privacy_key: string
  privacy_text: string
}

/**
 * Reads `Key: purpose` lines (a full-width colon works too); empty lines are
 * skipped, a later line for the same key replaces the earlier one, and a
 * line without a key or a purpose is a problem naming its line.
 */
export function parsePurposes(text: string): { purposes: Purpose[]; badLines: number[] } {
  const byKey = new Map<string, string>()
  const badLines: number[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (!line) return
    const m = line.match(/^([A-Za-z][A-Za-z0-9_]*)\s*[:：]\s*(.+)$/)
    if (!m) {
      badLines.push(i + 1)
      return
    }
    byKey.set(m[1], m[2].trim())
  })
  return { purposes: [...byKey].map(([privacy_key, privacy_text]) => ({ privacy_key, privacy_text })), badLines }
}

/** The `profile_set` arguments of a form, or the problems that keep it from being sent. */
export function profileArgs(component: string, form: ProfileForm): { args: ProfileSetArgs | null; problems: FormProblem[] } {
  const problems: FormProblem[] = []
  const name = form.name.trim()
  if (!name) problems.push({ field: 'name', key: 'required' })
  if (form.templateId === null) problems.push({ field: 'templateId', key: 'required' })
  const extJson = form.extJson.trim()
  const d = parseDomainList(form.domains, 'requestdomain', 'https://')
  for (const p of d.problems as DomainProblem[]) problems.push({ field: 'domains', key: `domain.${p.reason}`, values: { line: p.line, value: p.value } })
  const pp = parsePurposes(form.purposes)
  for (const line of pp.badLines) problems.push({ field: 'purposes', key: 'purposeLine', values: { line } })
  const email = form.email.trim()
  const notice = form.notice.trim()
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push({ field: 'email', key: 'email' })
  if (problems.length || form.templateId === null) return { args: null, problems }
  const hasPrivacy = pp.purposes.length > 0 || email !== '' || notice !== ''
  return {
    args: {
      component_appid: component,
      name,
      template_id: form.templateId,
      user_version: form.version.trim() || null,
      user_desc: form.desc.trim() || null,
      ext_json: extJson || null,
      vars_csv: null,
      domains: d.domains.length
        ? { requestdomain: d.domains, wsrequestdomain: [], uploaddomain: [], downloaddomain: [], webviewdomain: [] }
        : null,
      privacy: hasPrivacy
        ? { privacy_ver: 2, owner_setting: { contact_email: email || null, notice_method: notice }, setting_list: pp.purposes }
        : null,
      audit: null,
    },
    problems,
  }
}

/** A stored profile back in the form (to edit it). */
export function profileForm(p: ProfileView): ProfileForm {
  const privacy = (p.profile.privacy ?? {}) as {
    owner_setting?: { contact_email?: string | null; notice_method?: string | null }
    setting_list?: Purpose[]
  }
  return {
    name: p.name,
    templateId: p.profile.template_id,
    version: p.profile.user_version ?? '',
    desc: p.profile.user_desc ?? '',
    extJson: p.profile.ext_json ?? '',
    domains: (p.profile.domains?.requestdomain ?? []).join('\n'),
    purposes: (privacy.setting_list ?? []).map((s) => `${s.privacy_key}: ${s.privacy_text}`).join('\n'),
    email: privacy.owner_setting?.contact_email ?? '',
    notice: privacy.owner_setting?.notice_method ?? '',
  }
}

/** The run choices of the form and the steps each stands for. */
export const STEP_CHOICES = {
  full: ['commit', 'submit', 'release'],
  release: ['release'],
  revert: ['revert'],
} as const satisfies Record<string, readonly BatchStep[]>

export type StepChoice = keyof typeof STEP_CHOICES

export function stepsOf(choice: StepChoice): BatchStep[] {
  return [...STEP_CHOICES[choice]]
}

/** Whether the batch may still change (poll it). */
export function isMoving(b: Pick<BatchView, 'state' | 'active'>): boolean {
  return b.active || b.state === 'running' || b.state === 'cancelling'
}

/** Cancel: only a batch that runs. */
export function canCancel(b: Pick<BatchView, 'state'>): boolean {
  return b.state === 'running'
}

/** Resume: a batch that is not done and that no process runs now. */
export function canResume(b: Pick<BatchView, 'state' | 'active'>): boolean {
  return !b.active && b.state !== 'done' && b.state !== 'cancelling'
}

/** Finished merchants (done or failed) out of all, as a percentage. */
export function batchPercent(b: Pick<BatchView, 'counts'>): number {
  const { total, done, failed } = b.counts
  if (total <= 0) return 0
  return Math.min(100, Math.floor(((done + failed) / total) * 100))
}

/** A merchant row's fix in the UI language (empty when it has none). */
export function itemFix(item: Pick<BatchItemView, 'hint' | 'hint_zh'>, locale: string): string {
  return fixInLanguage(locale, item.hint ?? '', item.hint_zh) ?? ''
}

/** The merchant's label in the table: nickname and AppID. */
export function merchantLabel(item: Pick<BatchItemView, 'appid' | 'nickname'>): string {
  return item.nickname && item.nickname !== item.appid ? `${item.nickname} · ${item.appid}` : item.appid
}
