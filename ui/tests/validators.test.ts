// Client-side checks of what operators type.

import { describe, expect, it } from 'vitest'
import {
  validateAesKey,
  validateAppSecret,
  validateAppid,
  validateBetaName,
  validateCgiPath,
  validateDisplayName,
  validateEnterpriseCode,
  validateErrcode,
  validateMessageToken,
  validateOpenid,
  validateOptionalAppid,
  validateOptionalPhone,
  validateOptionalRedirectUri,
  validatePassphrase,
  validateRedirectUri,
  validateRequiredLine,
  validateRetentionDays,
  validateWechatId,
} from '../src/lib/validators'
import { looksLikeCallback } from '../src/lib/links'

const key = (i: { key: string } | null) => (i ? i.key.replace('validation.', '') : null)

describe('validateAppid', () => {
  it('accepts wx + 16 hex digits', () => {
    expect(validateAppid('wx1234567890abcdef')).toBeNull()
    expect(validateAppid('wxABCDEF0123456789')).toBeNull()
  })
  it('names what is wrong', () => {
    expect(key(validateAppid(''))).toBe('required')
    expect(key(validateAppid(' wx1234567890abcdef'))).toBe('appidSpaces')
    expect(key(validateAppid('gh_1234567890ab'))).toBe('appidOriginalId')
    expect(key(validateAppid('0123456789abcdef0123456789abcdef'))).toBe('appidLooksLikeSecret')
    expect(validateAppid('wx1234')).toEqual({ key: 'validation.appidFormat', params: { length: 6 } })
    expect(key(validateAppid('wx1234567890abcdeg'))).toBe('appidBadChar')
    expect(key(validateAppid('wx1234567890abcdef0'))).toBe('appidFormat')
    expect(key(validateAppid('tt1234567890abcdef'))).toBe('appidBadChar')
  })
  it('optional variant accepts empty', () => {
    expect(validateOptionalAppid('')).toBeNull()
    expect(validateOptionalAppid('  ')).toBeNull()
    expect(key(validateOptionalAppid('wx1'))).toBe('appidFormat')
  })
})

describe('validateAppSecret', () => {
  it('accepts 32 lowercase hex characters, trimmed', () => {
    expect(validateAppSecret('0123456789abcdef0123456789abcdef')).toBeNull()
    expect(validateAppSecret(' 0123456789abcdef0123456789abcdef\n')).toBeNull()
  })
  it('rejects the usual mistakes', () => {
    expect(key(validateAppSecret(''))).toBe('required')
    expect(key(validateAppSecret('wx1234567890abcdef'))).toBe('secretLooksLikeAppid')
    expect(validateAppSecret('abc')).toEqual({ key: 'validation.secretFormat', params: { length: 3 } })
    expect(key(validateAppSecret('0123456789abcdef0123456789abcdeg'))).toBe('secretFormat')
    expect(key(validateAppSecret('0123456789ABCDEF0123456789ABCDEF'))).toBe('secretUppercase')
  })
})

describe('validateMessageToken', () => {
  it('accepts 3–32 letters or digits', () => {
    expect(validateMessageToken('abc')).toBeNull()
    expect(validateMessageToken('A'.repeat(32))).toBeNull()
  })
  it('rejects bad lengths and characters', () => {
    expect(key(validateMessageToken(''))).toBe('required')
    expect(key(validateMessageToken('ab'))).toBe('messageTokenLength')
    expect(key(validateMessageToken('a'.repeat(33)))).toBe('messageTokenLength')
    expect(key(validateMessageToken('abc-def'))).toBe('messageTokenChars')
  })
})

describe('validateAesKey', () => {
  const good = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
  it('accepts exactly 43 base64 characters', () => {
    expect(good).toHaveLength(43)
    expect(validateAesKey(good)).toBeNull()
    expect(validateAesKey(`${good.slice(0, 41)}+/`)).toBeNull()
  })
  it('rejects other lengths and characters', () => {
    expect(key(validateAesKey(''))).toBe('required')
    expect(validateAesKey(good.slice(0, 42))).toEqual({ key: 'validation.aesKeyLength', params: { length: 42 } })
    expect(key(validateAesKey(`${good}=`))).toBe('aesKeyLength')
    expect(key(validateAesKey(`${good.slice(0, 42)}-`))).toBe('aesKeyChars')
    expect(key(validateAesKey(`${good.slice(0, 42)}=`))).toBe('aesKeyChars')
  })
})

describe('validateRedirectUri', () => {
  it('accepts absolute http(s) URLs', () => {
    expect(validateRedirectUri('https://example.com/cb')).toBeNull()
    expect(validateRedirectUri('http://127.0.0.1:8080/')).toBeNull()
  })
  it('rejects the rest', () => {
    expect(key(validateRedirectUri(''))).toBe('required')
    expect(key(validateRedirectUri('example.com/cb'))).toBe('urlAbsolute')
    expect(key(validateRedirectUri('/cb'))).toBe('urlAbsolute')
    expect(key(validateRedirectUri('ftp://example.com/'))).toBe('urlScheme')
    expect(key(validateRedirectUri('javascript:alert(1)'))).toBe('urlScheme')
    expect(key(validateRedirectUri('file:///etc/passwd'))).toBe('urlScheme')
  })
  it('optional variant accepts empty', () => {
    expect(validateOptionalRedirectUri('')).toBeNull()
    expect(key(validateOptionalRedirectUri('nope'))).toBe('urlAbsolute')
  })
})

describe('validateEnterpriseCode (length by code_type)', () => {
  it('code_type 1: 18 letters or digits', () => {
    expect(validateEnterpriseCode('91110000MA01ABCD2X', 1)).toBeNull()
    expect(validateEnterpriseCode('91110000MA01ABCD2', 1)).toEqual({ key: 'validation.codeType1', params: { length: 17 } })
    expect(key(validateEnterpriseCode('91110000MA01ABCD-X', 1))).toBe('codeType1')
  })
  it('code_type 2: 9 characters or xxxxxxxx-x', () => {
    expect(validateEnterpriseCode('12345678X', 2)).toBeNull()
    expect(validateEnterpriseCode('12345678-X', 2)).toBeNull()
    expect(key(validateEnterpriseCode('1234567-8X', 2))).toBe('codeType2')
    expect(key(validateEnterpriseCode('12345678', 2))).toBe('codeType2')
  })
  it('code_type 3: 15 digits', () => {
    expect(validateEnterpriseCode('110000000000001', 3)).toBeNull()
    expect(key(validateEnterpriseCode('11000000000000A', 3))).toBe('codeType3')
    expect(key(validateEnterpriseCode('11000000000000', 3))).toBe('codeType3')
  })
  it('needs a code and a type', () => {
    expect(key(validateEnterpriseCode('', 1))).toBe('required')
    expect(key(validateEnterpriseCode('123', null))).toBe('codeTypeMissing')
    expect(key(validateEnterpriseCode('123', 4))).toBe('codeTypeMissing')
  })
})

describe('validateBetaName (4–30 characters)', () => {
  it('counts characters, not bytes', () => {
    expect(validateBetaName('测试小程')).toBeNull()
    expect(validateBetaName('abcd')).toBeNull()
    expect(validateBetaName('a'.repeat(30))).toBeNull()
    expect(validateBetaName('测试')).toEqual({ key: 'validation.betaNameLength', params: { length: 2 } })
    expect(key(validateBetaName('a'.repeat(31)))).toBe('betaNameLength')
    expect(key(validateBetaName('   '))).toBe('required')
  })
})

describe('other fields', () => {
  it('required single lines', () => {
    expect(validateRequiredLine('x')).toBeNull()
    expect(key(validateRequiredLine(' '))).toBe('required')
    expect(key(validateRequiredLine('a\nb'))).toBe('singleLine')
  })
  it('openids have no spaces', () => {
    expect(validateOpenid('oAbc_123-x')).toBeNull()
    expect(key(validateOpenid('o abc'))).toBe('noSpaces')
  })
  it('WeChat IDs are not phone numbers', () => {
    expect(validateWechatId('wxid_abc123')).toBeNull()
    expect(key(validateWechatId('13800138000'))).toBe('wechatIdDigits')
    expect(key(validateWechatId('+8613800138000'))).toBe('wechatIdDigits')
  })
  it('phones are optional', () => {
    expect(validateOptionalPhone('')).toBeNull()
    expect(validateOptionalPhone('13800138000')).toBeNull()
    expect(validateOptionalPhone('+86 138-0013-8000')).toBeNull()
    expect(key(validateOptionalPhone('call me'))).toBe('phoneFormat')
  })
  it('display names are at most 64 characters on one line', () => {
    expect(validateDisplayName('')).toBeNull()
    expect(validateDisplayName('名'.repeat(64))).toBeNull()
    expect(key(validateDisplayName('名'.repeat(65)))).toBe('nameLength')
    expect(key(validateDisplayName('a\tb'))).toBe('singleLine')
  })
  it('retention is 0–3650 whole days', () => {
    expect(validateRetentionDays(0)).toBeNull()
    expect(validateRetentionDays(3650)).toBeNull()
    expect(key(validateRetentionDays(3651))).toBe('retentionRange')
    expect(key(validateRetentionDays(-1))).toBe('retentionRange')
    expect(key(validateRetentionDays(1.5))).toBe('required')
    expect(key(validateRetentionDays(null))).toBe('required')
  })
  it('passphrases have at least 8 characters', () => {
    expect(validatePassphrase('12345678')).toBeNull()
    expect(key(validatePassphrase('1234567'))).toBe('passphraseLength')
  })
  it('errcodes are integers', () => {
    expect(validateErrcode('40164')).toBeNull()
    expect(validateErrcode('-1')).toBeNull()
    expect(key(validateErrcode('4016a'))).toBe('errcodeFormat')
    expect(key(validateErrcode(''))).toBe('required')
  })
  it('API paths have no query string', () => {
    expect(validateCgiPath('/cgi-bin/message/custom/send')).toBeNull()
    expect(validateCgiPath('wxa/getwxacode')).toBeNull()
    expect(key(validateCgiPath('/cgi-bin/token?grant_type=x'))).toBe('cgiPathFormat')
  })
})

describe('looksLikeCallback', () => {
  it('tells a callback address from a bare auth_code', () => {
    expect(looksLikeCallback('https://example.com/cb?auth_code=queryauthcode@@@abc&expires_in=3600')).toBe(true)
    expect(looksLikeCallback('?auth_code=abc&expires_in=3600')).toBe(true)
    expect(looksLikeCallback('auth_code=abc')).toBe(true)
    expect(looksLikeCallback('queryauthcode@@@abc')).toBe(false)
    expect(looksLikeCallback('  abc  ')).toBe(false)
  })
})
