// Mounts a screen as the app does: inside Naive UI's message, notification
// and dialog providers, with i18n and a router whose named routes render
// nothing (a screen's links and row clicks resolve; the tests read the
// router's location). For new screen tests, instead of another copy of this.

import { defineComponent, h, type Component } from 'vue'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { i18n } from '../src/i18n'

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
