// Mounts a screen as the app does: inside Naive UI's message, notification
// and dialog providers, with i18n and a router whose named routes render
// nothing (a screen's links and row clicks resolve; the tests read the
// router's location). For new screen tests, instead of another copy of this.

import { afterEach, beforeEach } from 'vitest'
import { defineComponent, h, type Component } from 'vue'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { getBackend, setBackend } from '../src/api'
import type { Backend } from '../src/api/backend'
import type { AuthorizerView, ComponentView } from '../src/api/types'
import { i18n, setLocale } from '../src/i18n'

const blank = { render: () => null }

/** The app's named routes a screen may push to, all blank. */
const STUB_ROUTES: RouteRecordRaw[] = [
  { path: '/', component: blank },
  { path: '/authorizers/:component/:appid', name: 'authorizer', component: blank },
  { path: '/releases/:component/:appid', name: 'release', component: blank },
  { path: '/components', component: blank },
  { path: '/authorize/:appid', name: 'authorize', component: blank },
]

export function mountScreen(component: Component, props: Record<string, unknown> = {}) {
  const router = createRouter({ history: createMemoryHistory(), routes: STUB_ROUTES })
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(component as never, props)))),
  })
  const wrapper = mount(Root, { global: { plugins: [i18n, router] }, attachTo: document.body })
  return { wrapper, router }
}

/**
 * In the calling `describe`: each test starts in English with the real
 * backend saved, and ends with it restored and the page emptied.
 */
export function screenTestHooks(): void {
  let saved: Backend
  beforeEach(() => {
    saved = getBackend()
    setLocale('en')
  })
  afterEach(() => {
    setBackend(saved)
    document.body.innerHTML = ''
  })
}

/** A stored third-party platform, secrets masked as the core sends them (override any field). */
export function platformView(over: Partial<ComponentView> & Pick<ComponentView, 'appid'>): ComponentView {
  return {
    name: 'Platform',
    secret: 'abcd…',
    token: 'abcd…',
    aes_key: 'abcd…',
    redirect_uri: null,
    receive: null,
    created_at: 1,
    updated_at: 1,
    ticket: null,
    authorizers: { active: 1, revoked: 0 },
    access_token: null,
    ...over,
  }
}

/** An active, named mini program authorized to `component_appid` (override any field). */
export function merchantView(over: Partial<AuthorizerView> & Pick<AuthorizerView, 'component_appid' | 'appid'>): AuthorizerView {
  return {
    nick_name: 'Shop',
    account_type: 'mini_program',
    status: 'active',
    func_info: [],
    has_refresh_token: true,
    authorized_at: 1_767_225_600,
    revoked_at: null,
    updated_at: 1_767_225_600,
    token_expires_at: null,
    notes: '',
    tags: [],
    ...over,
  }
}

