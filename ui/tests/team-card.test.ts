// Team mode in the UI: which layouts fit which account, the team_bind
// arguments built from the form (read-only by default, empty prefix = the
// layout's), the TTL text of a key, and the card itself — not bound it
// offers the form, bound it lists the binding and its keys, and Unbind asks
// first and calls team_unbind only when the operator agrees.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import { ApiError } from '../src/api/backend'
import type { TeamShowView } from '../src/api/types'
import TeamCard from '../src/views/team/TeamCard.vue'
import { i18n } from '../src/i18n'
import { emptyTeamForm, keyState, layoutsFor, teamBindArgs, validateRedisUrl } from '../src/lib/team'
import { receiveUrlChange, validateOptionalReceiveUrl } from '../src/lib/receive'
import { RecordingBackend } from './helpers'
import { screenTestHooks } from './screen'

const C = 'wx1111111111111111'

const SHOWN: TeamShowView = {
  binding: {
    kind: 'component',
    appid: C,
    redis: 'redis://10.0.0.5:6379/0',
    has_password: true,
    layout: 'wxjava-open',
    prefix: 'wx:open',
    codec: 'raw',
    mode: 'read-only',
    transport: 'plain',
  },
  reachable: true,
  keys: [
    { what: 'component_verify_ticket', key: `wx:open:wechat_component_verify_ticket:${C}`, present: true, ttl: 2147480000, readable: true, status: 'ok' },
    { what: 'component_access_token', key: `wx:open:wechat_component_access_token:${C}`, present: true, ttl: 6900, readable: true, status: 'ok' },
    { what: 'authorizer_access_token', authorizer_appid: 'wx2222222222222222', key: 'k3', present: false, readable: true, status: 'missing' },
  ],
}

describe('team logic', () => {
  it('offers only the layouts that keep the account kind', () => {
    expect(layoutsFor('component').map((l) => l.value)).toEqual(['wxjava-open', 'silenceper', 'wechatpy', 'wxdesk'])
    expect(layoutsFor('app').map((l) => l.value)).toEqual(['wxjava-ma', 'silenceper', 'wechatpy', 'wxdesk'])
  })

  it('builds team_bind arguments: read-only by default, empty prefix is the layout default', () => {
    const form = { ...emptyTeamForm('component'), redisUrl: ' redis://:pw@10.0.0.5:6379/0 ' }
    expect(teamBindArgs('component', C, form)).toEqual({
      component_appid: C,
      appid: null,
      redis_url: 'redis://:pw@10.0.0.5:6379/0',
      layout: 'wxjava-open',
      prefix: null,
      codec: null,
      mode: 'read-only',
      ca_pem: null,
    })
    const app = { ...emptyTeamForm('app'), redisUrl: 'rediss://r:6380', prefix: ' wa2 ', mode: 'read-write' as const, caPem: ' -----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE----- ' }
    expect(teamBindArgs('app', C, app)).toMatchObject({
      component_appid: null,
      appid: C,
      layout: 'wxjava-ma',
      prefix: 'wa2',
      mode: 'read-write',
      ca_pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    })
  })

  it('checks the Redis URL and describes each key', () => {
    expect(validateRedisUrl('redis://127.0.0.1:6379/0')).toBeNull()
    expect(validateRedisUrl('rediss://:p@w@host:6380')).toBeNull()
    expect(validateRedisUrl('')).toEqual({ key: 'validation.required' })
    expect(validateRedisUrl('http://host:6379')).toEqual({ key: 'validation.redisUrl' })
    expect(validateRedisUrl('127.0.0.1:6379')).toEqual({ key: 'validation.redisUrl' })
    expect(keyState(SHOWN.keys[1])).toEqual({ key: 'team.keyTtl', params: { ttl: '6,900' } })
    expect(keyState(SHOWN.keys[2])).toEqual({ key: 'team.keyMissing' })
    expect(keyState({ ...SHOWN.keys[1], readable: false })).toEqual({ key: 'team.keyUnreadable' })
    expect(keyState({ ...SHOWN.keys[1], ttl: undefined })).toEqual({ key: 'team.keyNoTtl' })
  })

  it('checks the receive URL and sends only a change', () => {
    expect(validateOptionalReceiveUrl('')).toBeNull()
    expect(validateOptionalReceiveUrl('https://wx.example.com')).toBeNull()
    expect(validateOptionalReceiveUrl('wx.example.com')).toEqual({ key: 'validation.receiveUrl' })
    expect(validateOptionalReceiveUrl('https://wx.example.com/?a=1')).toEqual({ key: 'validation.receiveUrl' })
    expect(receiveUrlChange('https://wx.example.com/', 'https://wx.example.com')).toBeNull()
    expect(receiveUrlChange('', 'https://wx.example.com')).toBe('')
    expect(receiveUrlChange('https://b.example.com', null)).toBe('https://b.example.com')
  })
})

function mountCard(kind: 'component' | 'app') {
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(TeamCard, { kind, appid: C })))),
  })
  return mount(Root, { global: { plugins: [i18n] }, attachTo: document.body })
}

describe('TeamCard', () => {
  screenTestHooks()

  it('binds an unbound account from the form', async () => {
    let bound = false
    const backend = new RecordingBackend((op) => {
      if (op === 'team_show') {
        if (!bound) throw new ApiError({ code: 'not_found', message: `team binding ${C} not found` })
        return [SHOWN]
      }
      if (op === 'team_bind') {
        bound = true
        return SHOWN.binding
      }
      return null
    })
    setBackend(backend)
    const w = mountCard('component')
    await flushPromises()
    expect(backend.calls[0]).toEqual({ op: 'team_show', args: { component_appid: C, appid: null } })
    expect(w.find('[data-testid="team-not-bound"]').exists()).toBe(true)
    // The form is drawn only when asked for.
    expect(w.find('[data-testid="team-form"]').exists()).toBe(false)
    await w.get('[data-testid="team-open-form"]').trigger('click')
    expect(w.find('[data-testid="team-form"]').exists()).toBe(true)

    // An empty URL is refused before anything is sent.
    await w.get('[data-testid="team-bind"]').trigger('click')
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'team_bind')).toHaveLength(0)

    await w.get('[data-testid="team-redis-url"]').setValue('redis://:pw@10.0.0.5:6379/0')
    await w.get('[data-testid="team-bind"]').trigger('click')
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'team_bind')).toEqual([
      {
        op: 'team_bind',
        args: { component_appid: C, appid: null, redis_url: 'redis://:pw@10.0.0.5:6379/0', layout: 'wxjava-open', prefix: null, codec: null, mode: 'read-only', ca_pem: null },
      },
    ])
    const keys = w.get('[data-testid="team-keys"]').text()
    expect(keys).toContain('present, TTL 6,900 s')
    expect(keys).toContain('missing')
    expect(w.get('[data-testid="team-binding"]').text()).toContain('redis://10.0.0.5:6379/0')
    expect(w.get('[data-testid="team-binding"]').text()).not.toContain('pw')
    w.unmount()
  })

  it('sends the CA certificate of a rediss:// Redis and tags a binding with its own CA', async () => {
    let bound = false
    const TLS: TeamShowView = { ...SHOWN, binding: { ...SHOWN.binding, redis: 'rediss://10.0.0.5:6380/0', transport: 'TLS, own CA' } }
    const backend = new RecordingBackend((op) => {
      if (op === 'team_show') {
        if (!bound) throw new ApiError({ code: 'not_found', message: `team binding ${C} not found` })
        return [TLS]
      }
      if (op === 'team_bind') {
        bound = true
        return TLS.binding
      }
      return null
    })
    setBackend(backend)
    const w = mountCard('component')
    await flushPromises()
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
    await w.get('[data-testid="team-open-form"]').trigger('click')
    expect(w.get('[data-testid="team-ca-pem"]').attributes('placeholder')).toBe('-----BEGIN CERTIFICATE-----')
    await w.get('[data-testid="team-redis-url"]').setValue('rediss://10.0.0.5:6380/0')
    await w.get('[data-testid="team-ca-pem"]').setValue(pem + '\n')
    await w.get('[data-testid="team-bind"]').trigger('click')
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'team_bind').map((c) => (c.args as { ca_pem: string | null }).ca_pem)).toEqual([pem])
    expect(w.get('[data-testid="team-own-ca"]').text()).toBe('TLS, own CA')
    w.unmount()
  })

  it('unbinds only after the operator agrees', async () => {
    let bound = true
    const backend = new RecordingBackend((op) => {
      if (op === 'team_show') {
        if (!bound) throw new ApiError({ code: 'not_found', message: 'not bound' })
        return [SHOWN]
      }
      if (op === 'team_unbind') {
        bound = false
        return { kind: 'component', appid: C }
      }
      return null
    })
    setBackend(backend)
    const w = mountCard('component')
    await flushPromises()
    await w.get('[data-testid="team-unbind"]').trigger('click')
    await flushPromises()
    ;(document.querySelector('[data-testid="confirm-cancel"]') as HTMLElement).click()
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'team_unbind')).toHaveLength(0)

    await w.get('[data-testid="team-unbind"]').trigger('click')
    await flushPromises()
    const dialogs = document.querySelectorAll('[data-testid="confirm-dialog"]')
    expect(dialogs[dialogs.length - 1]?.textContent).toContain(C)
    const oks = document.querySelectorAll('[data-testid="confirm-ok"]')
    ;(oks[oks.length - 1] as HTMLElement).click()
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'team_unbind')).toEqual([{ op: 'team_unbind', args: { component_appid: C, appid: null } }])
    expect(w.find('[data-testid="team-not-bound"]').exists()).toBe(true)
    // Back to the closed form, which Cancel also closes.
    await w.get('[data-testid="team-open-form"]').trigger('click')
    await w.get('[data-testid="team-close-form"]').trigger('click')
    expect(w.find('[data-testid="team-form"]').exists()).toBe(false)
    w.unmount()
  })
})
