// A list screen (mini programs, platforms) sets up its add/edit dialog only
// when it is first opened — a visit that never opens it does not pay for a
// dialog and its validated form — and keeps it from then on.

import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import AppsView from '../src/views/apps/AppsView.vue'
import AppFormModal from '../src/views/apps/AppFormModal.vue'
import { setBackend } from '../src/api'
import { RecordingBackend } from './helpers'
import { mountScreen, screenTestHooks } from './screen'

describe('list screens', () => {
  screenTestHooks()

  it('mount the add dialog on its first opening, and keep it', async () => {
    setBackend(new RecordingBackend((op) => (op === 'app_list' ? [] : null)))
    const { wrapper } = mountScreen(AppsView)
    await flushPromises()
    expect(wrapper.findComponent(AppFormModal).exists()).toBe(false)
    await wrapper.get('[data-testid="apps-add"]').trigger('click')
    await flushPromises()
    expect(wrapper.findComponent(AppFormModal).exists()).toBe(true)
    expect(document.querySelector('[data-testid="app-form-appid"]')).not.toBeNull()
    // Closed again, it stays mounted (so it can animate closed).
    ;(document.querySelector('[data-testid="app-form-cancel"]') as HTMLElement | null)?.click()
    await flushPromises()
    expect(wrapper.findComponent(AppFormModal).exists()).toBe(true)
    wrapper.unmount()
  })
})
