// Forms a new user fills: pasted whitespace is trimmed in one-line fields,
// an AppID error points at the bad character, every field shows an example
// instead of Naive UI's "Please Input", and the custom-base error gives a
// base URL as its example.

import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { NInput } from 'naive-ui'
import { readFileSync } from 'node:fs'
import { installPasteTrim, trimmedPaste } from '../src/lib/paste'
import { badAppidChar, validateAppid, validateBaseUrl } from '../src/lib/validators'
import { i18n, setLocale } from '../src/i18n'
import { listFiles } from './helpers'

describe('pasted whitespace', () => {
  it('is trimmed in one-line fields only', () => {
    const input = document.createElement('input')
    const area = document.createElement('textarea')
    expect(trimmedPaste(input, ' wx1234567890abcdef\n')?.text).toBe('wx1234567890abcdef')
    expect(trimmedPaste(input, 'wx1234567890abcdef')).toBeNull()
    expect(trimmedPaste(area, ' <xml/>\n')).toBeNull()
  })

  it('lands trimmed in the v-model of a Naive input', async () => {
    const off = installPasteTrim(document)
    const value = ref('')
    const w = mount(
      defineComponent({ setup: () => () => h(NInput, { value: value.value, 'onUpdate:value': (v: string) => (value.value = v), inputProps: { 'data-testid': 'f' } }) }),
      { attachTo: document.body },
    )
    const el = w.get('[data-testid="f"]').element as HTMLInputElement
    const e = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent
    Object.defineProperty(e, 'clipboardData', { value: { getData: () => '\t wx1234567890abcdef \n' } })
    el.dispatchEvent(e)
    expect(e.defaultPrevented).toBe(true)
    expect(value.value).toBe('wx1234567890abcdef')
    off()
    w.unmount()
  })
})

describe('an AppID error points at the bad character', () => {
  it('gives the position and the character', () => {
    expect(badAppidChar('wx12345678 0abcdef')).toEqual({ position: 11, char: '␣' })
    expect(badAppidChar('wX1234567890abcdef')).toEqual({ position: 2, char: 'X' })
    expect(badAppidChar('wx1234567890abcdeg')).toEqual({ position: 18, char: 'g' })
    expect(badAppidChar('wx1234567890abcdef')).toBeNull()
    expect(validateAppid('wx12345678o0abcdef')).toEqual({ key: 'validation.appidBadChar', params: { position: 11, char: 'o' } })
    // Right characters, wrong length: the length is what is said.
    expect(validateAppid('wx1234')).toEqual({ key: 'validation.appidFormat', params: { length: 6 } })
    for (const l of ['en', 'zh-CN'] as const) {
      setLocale(l)
      expect(i18n.global.t('validation.appidBadChar', { position: 11, char: 'o' })).toContain('11')
    }
    setLocale('en')
  })
})

describe('placeholders', () => {
  it('every input and select names an example (never Naive UI\'s "Please Input")', () => {
    const missing: string[] = []
    for (const f of listFiles('src', ['.vue'])) {
      const s = readFileSync(f, 'utf8')
      for (const m of s.matchAll(/<(NInput|NSelect|PlainInput|PlainSelect|PlainNumber)\b([\s\S]*?)\/?>/g)) {
        if (!m[2]!.includes('placeholder')) missing.push(`${f.replace(/.*\/src\//, 'src/')}: ${m[2]!.trim().slice(0, 60)}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('the custom-base error gives a base URL as its example', () => {
    expect(validateBaseUrl('api.weixin.qq.com')).toEqual({ key: 'validation.baseUrlAbsolute' })
    expect(validateBaseUrl('https://api.example.test')).toBeNull()
    setLocale('en')
    expect(i18n.global.t('validation.baseUrlAbsolute')).toContain('https://api.weixin.qq.com')
    expect(i18n.global.t('validation.baseUrlAbsolute')).not.toContain('callback')
  })
})
