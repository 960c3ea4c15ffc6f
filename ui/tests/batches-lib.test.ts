// The Batches tab's own decisions: the profile form read into profile_set
// arguments (and back), privacy purpose lines, the steps of a run choice,
// when to poll a batch, what Cancel and Resume may do, progress, and a
// merchant row's fix in the UI language.
import { describe, expect, it } from 'vitest'
import {
  batchPercent,
  canCancel,
  canResume,
  emptyProfileForm,
  isMoving,
  itemFix,
  merchantLabel,
  parsePurposes,
  profileArgs,
  profileForm,
  stepsOf,
} from '../src/lib/batches'
import type { ProfileView } from '../src/api/types'

const COMP = 'wx0123456789abcdef'

describe('parsePurposes', () => {
  it('reads Key: purpose lines, full-width colons too, the last one per key winning', () => {
    const r = parsePurposes('UserInfo: 登录\n\n  Location：门店导航 \nUserInfo: 登录与展示')
    expect(r.badLines).toEqual([])
    expect(r.purposes).toEqual([
      { privacy_key: 'UserInfo', privacy_text: '登录与展示' },
      { privacy_key: 'Location', privacy_text: '门店导航' },
    ])
  })
  it('names lines without a key or a purpose', () => {
    expect(parsePurposes('UserInfo:\njust text\n: x').badLines).toEqual([1, 2, 3])
  })
})

describe('profileArgs', () => {
  it('needs a name and a template, and names bad domains, purpose lines and email', () => {
    const r = profileArgs(COMP, { ...emptyProfileForm(), domains: 'http://a.example.com', purposes: 'nope', email: 'x@' })
    expect(r.args).toBeNull()
    expect(r.problems.map((p) => [p.field, p.key])).toEqual([
      ['name', 'required'],
      ['templateId', 'required'],
      ['domains', 'domain.scheme'],
      ['purposes', 'purposeLine'],
      ['email', 'email'],
    ])
  })
  it('builds the profile: trimmed values, request domains, a v2 privacy guide', () => {
    const r = profileArgs(COMP, {
      name: ' shop ',
      templateId: 3,
      version: ' 1.2.0 ',
      desc: '',
      extJson: ' {"extAppid":"{{appid}}"} ',
      domains: 'https://api.example.com/\nhttps://api.example.com',
      purposes: 'UserInfo: 登录与展示',
      email: 'privacy@example.com',
      notice: '弹窗提醒',
    })
    expect(r.problems).toEqual([])
    expect(r.args).toEqual({
      component_appid: COMP,
      name: 'shop',
      template_id: 3,
      user_version: '1.2.0',
      user_desc: null,
      ext_json: '{"extAppid":"{{appid}}"}',
      vars_csv: null,
      domains: { requestdomain: ['https://api.example.com'], wsrequestdomain: [], uploaddomain: [], downloaddomain: [], webviewdomain: [] },
      privacy: {
        privacy_ver: 2,
        owner_setting: { contact_email: 'privacy@example.com', notice_method: '弹窗提醒' },
        setting_list: [{ privacy_key: 'UserInfo', privacy_text: '登录与展示' }],
      },
      audit: null,
    })
  })
  it('sends no domains and no privacy guide when none is given', () => {
    const r = profileArgs(COMP, { ...emptyProfileForm(), name: 'p', templateId: 1 })
    expect(r.args?.domains).toBeNull()
    expect(r.args?.privacy).toBeNull()
  })
  it('round-trips a stored profile through the form', () => {
    const form = { ...emptyProfileForm(), name: 'p', templateId: 7, domains: 'https://a.example.com', purposes: 'UserInfo: x', email: 'a@b.cn', notice: 'n' }
    const args = profileArgs(COMP, form).args!
    const stored: ProfileView = {
      component_appid: COMP,
      name: 'p',
      updated_at: 0,
      variables: [],
      profile: {
        template_id: 7,
        user_version: null,
        user_desc: null,
        ext_json: null,
        vars: { columns: [], rows: {} },
        domains: args.domains,
        privacy: args.privacy,
        audit: { item_list: [], feedback_info: null, privacy_api_not_use: null, order_path: null },
      },
    }
    expect(profileForm(stored)).toEqual(form)
  })
})

describe('batch state', () => {
  it('maps run choices to steps', () => {
    expect(stepsOf('full')).toEqual(['commit', 'submit', 'release'])
    expect(stepsOf('release')).toEqual(['release'])
    expect(stepsOf('revert')).toEqual(['revert'])
  })
  it('polls while running or cancelling, or while a process holds it', () => {
    expect(isMoving({ state: 'running', active: false })).toBe(true)
    expect(isMoving({ state: 'cancelling', active: true })).toBe(true)
    expect(isMoving({ state: 'cancelled', active: false })).toBe(false)
    expect(isMoving({ state: 'done', active: false })).toBe(false)
  })
  it('cancels a running batch; resumes one no process runs that is not done', () => {
    expect(canCancel({ state: 'running' })).toBe(true)
    expect(canCancel({ state: 'cancelled' })).toBe(false)
    expect(canResume({ state: 'cancelled', active: false })).toBe(true)
    expect(canResume({ state: 'running', active: false })).toBe(true)
    expect(canResume({ state: 'running', active: true })).toBe(false)
    expect(canResume({ state: 'cancelling', active: false })).toBe(false)
    expect(canResume({ state: 'done', active: false })).toBe(false)
  })
  it('counts done and failed as finished', () => {
    expect(batchPercent({ counts: { total: 20, pending: 4, in_progress: 4, done: 11, failed: 1 } })).toBe(60)
    expect(batchPercent({ counts: { total: 0, pending: 0, in_progress: 0, done: 0, failed: 0 } })).toBe(0)
  })
  it('shows the fix in the UI language and labels merchants', () => {
    const item = { hint: 'Fix the content', hint_zh: '补全内容' }
    expect(itemFix(item, 'zh-CN')).toBe('补全内容')
    expect(itemFix(item, 'en')).toBe('Fix the content')
    expect(itemFix({ hint: null, hint_zh: null }, 'en')).toBe('')
    expect(merchantLabel({ appid: 'wx1', nickname: 'Shop' })).toBe('Shop · wx1')
    expect(merchantLabel({ appid: 'wx1', nickname: '' })).toBe('wx1')
  })
})
