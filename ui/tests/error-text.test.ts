// No English left in 中文 for the errors and confirmations the core sends,
// and validation errors name the form's label, not the wire field name, in
// both languages.

import { afterEach, describe, expect, it } from 'vitest'
import { h, shallowRef } from 'vue'
import { mount } from '@vue/test-utils'
import { ApiError } from '../src/api/backend'
import ErrorAlert from '../src/components/ErrorAlert'
import { confirmationMessage, errorMessage, wechatErrmsg } from '../src/lib/errorText'
import { i18n, setLocale } from '../src/i18n'

const tr = {
  t: (k: string, p?: Record<string, unknown>) => i18n.global.t(k, p ?? {}),
  te: (k: string) => i18n.global.te(k),
}
/** English words in a Chinese text, beyond protocol names and AppIDs. */
const englishIn = (s: string) =>
  (s.replace(/\bwx[0-9a-f]{16}\b/g, '').match(/[A-Za-z][A-Za-z_]+/g) ?? []).filter(
    (w) => !['AppSecret', 'AppID', 'access_token', 'component_access_token', 'authorizer_access_token', 'component_verify_ticket', 'ticket', 'cgi', 'bin', 'token', 'stable_token', 'clear_quota', 'v2'].includes(w),
  )

afterEach(() => setLocale('en'))

describe('error messages in the UI language', () => {
  it('a validation error names the form label, not the wire field', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      setLocale(locale)
      const label = tr.t('fields.cgiPath')
      const m = errorMessage({ code: 'invalid_input', message: 'cgi_path: an API path starts with /' }, locale, tr)
      expect(m).toContain(label)
      expect(m).not.toContain('cgi_path')
      const b = errorMessage({ code: 'invalid_base64', message: 'encrypted_data is not valid base64: bad byte 3' }, locale, tr)
      expect(b).not.toContain('encrypted_data')
      if (locale === 'zh-CN') expect(englishIn(m).concat(englishIn(b))).toEqual(['encryptedData'].filter((w) => b.includes(w)))
    }
  })

  it("WeChat's error and the desk's own messages are Chinese in zh-CN, unchanged in English", () => {
    const wechat = { code: 'api', message: 'WeChat error 40013: invalid appid (rid 617682e0-1)', errcode: 40013 }
    expect(errorMessage(wechat, 'en', tr)).toBe(wechat.message)
    setLocale('zh-CN')
    const zh = errorMessage(wechat, 'zh-CN', tr)
    expect(zh).toContain('40013')
    expect(englishIn(zh)).toEqual([])
    expect(wechatErrmsg(wechat.message)).toBe('invalid appid')
    const nf = errorMessage({ code: 'not_found', message: 'app wx1234567890abcdef not found' }, 'zh-CN', tr)
    expect(nf).toMatch(/[\u4e00-\u9fff]/)
    expect(englishIn(nf)).toEqual([])
    // A code without a Chinese sentence shows only its translated title and fix.
    expect(errorMessage({ code: 'internal', message: 'something broke' }, 'zh-CN', tr)).toBe('')
  })

  it('the delete confirmation and the token confirmations are Chinese in zh-CN', () => {
    const removal =
      'remove app wx1234567890abcdef needs confirmation: deletes its stored AppSecret, 1 cached access token(s) and 2 login session(s) from this desk'
    expect(confirmationMessage(removal, 'en', tr)).toBe(removal)
    setLocale('zh-CN')
    for (const m of [
      removal,
      'remove component wx1234567890abcdef needs confirmation: deletes its secrets',
      'force refresh needs confirmation: the token your servers hold is invalidated at once',
      'force refresh of the component_access_token needs confirmation: your platform server\'s token is replaced',
      'clear_quota for wx1234567890abcdef needs confirmation: uses one of 10 resets',
      'something new needs confirmation: risk',
    ]) {
      const zh = confirmationMessage(m, 'zh-CN', tr)
      expect(zh, m).toMatch(/[\u4e00-\u9fff]/)
      expect(englishIn(zh), m).toEqual([])
    }
    expect(confirmationMessage(removal, 'zh-CN', tr)).toContain('wx1234567890abcdef')
  })

  it('the error alert shows the label in zh-CN', async () => {
    setLocale('zh-CN')
    const err = new ApiError({ code: 'invalid_input', message: 'cgi_path: an API path starts with /' })
    const w = mount(() => h(ErrorAlert, { error: err }), { global: { plugins: [i18n] } })
    await new Promise((r) => setTimeout(r, 0))
    expect(w.text()).toContain('接口路径')
    expect(w.text()).not.toContain('cgi_path')
    expect(w.text()).not.toContain('an API path')
    w.unmount()
  })

  it('the error alert draws nothing without an error, and its default test id with one', async () => {
    const error = shallowRef<ApiError | null>(null)
    const w = mount(() => h('div', [h(ErrorAlert, { error: error.value })]), { global: { plugins: [i18n] } })
    expect(w.find('.error-alert').exists()).toBe(false)
    expect(w.text()).toBe('')
    error.value = new ApiError({ code: 'not_found', message: 'mini program wx1234567890abcdef not found' })
    await new Promise((r) => setTimeout(r, 0))
    expect(w.get('[data-testid="error-alert"]').attributes('data-code')).toBe('not_found')
    error.value = null
    await new Promise((r) => setTimeout(r, 0))
    expect(w.find('[data-testid="error-alert"]').exists()).toBe(false)
    w.unmount()
  })
})
