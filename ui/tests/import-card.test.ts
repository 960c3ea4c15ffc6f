// Settings → Import: the file is checked and previewed first (import_preview),
// the preview shows the counts and the risks (secrets and refresh tokens
// overwritten, status changes), and only "Confirm import" sends `import` with
// confirmed: true. Cancel sends nothing.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { NMessageProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import type { ImportReport } from '../src/api/types'
import ImportCard from '../src/components/ImportCard.vue'
import { i18n } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { screenTestHooks } from './screen'

const PREVIEW: ImportReport = {
  written: false,
  with_secrets: true,
  apps: { added: 2, changed: 1, unchanged: 0 },
  components: { added: 0, changed: 1, unchanged: 0 },
  authorizers: { added: 3, changed: 1, unchanged: 5 },
  settings: { added: 0, changed: 0, unchanged: 2 },
  tickets_added: 1,
  tickets_kept_newer: 0,
  secrets_overwritten: 4,
  refresh_tokens_overwritten: 2,
  refresh_tokens_kept_newer: 1,
  status_changes: 1,
  notes: [],
}

function mountCard() {
  const Root = defineComponent({ setup: () => () => h(NMessageProvider, () => h(ImportCard)) })
  return mount(Root, { global: { plugins: [i18n] }, attachTo: document.body })
}

async function chooseFile(w: ReturnType<typeof mountCard>) {
  const input = w.get('[data-testid="settings-import-file"]').element as HTMLInputElement
  const file = new File(['{"format":"wxdesk-export","version":1}'], 'export.json', { type: 'application/json' })
  Object.defineProperty(input, 'files', { value: [file] })
  await w.get('[data-testid="settings-import-file"]').trigger('change')
}

describe('ImportCard', () => {
  screenTestHooks()

  it('previews first and imports only after confirmation', async () => {
    const b = new RecordingBackend((op) => (op === 'import_preview' ? PREVIEW : { ...PREVIEW, written: true }))
    setBackend(b)
    const w = mountCard()
    await chooseFile(w)
    await w.get('[data-testid="settings-import-run"]').trigger('click')
    await flushPromises()
    await flushPromises()
    expect(b.calls.map((c) => c.op)).toEqual(['import_preview'])
    const preview = w.get('[data-testid="settings-import-preview"]')
    expect(preview.get('[data-testid="settings-import-preview-apps"]').text()).toContain('2')
    const risks = w.get('[data-testid="settings-import-risks"]').text()
    expect(risks).toContain('4 stored secret(s)')
    expect(risks).toContain('2 stored refresh token(s)')
    expect(risks).toContain('1 authorizer(s) will change status')

    await w.get('[data-testid="settings-import-confirm"]').trigger('click')
    await flushPromises()
    expect(b.calls.map((c) => c.op)).toEqual(['import_preview', 'import'])
    expect((b.calls[1]!.args as { confirmed: boolean }).confirmed).toBe(true)
    expect((b.calls[0]!.args as { confirmed: boolean }).confirmed).toBe(false)
    expect(w.get('[data-testid="settings-import-report"]').text()).toContain('3 mini programs')
    w.unmount()
  })

  it('cancel sends no import', async () => {
    const b = new RecordingBackend(() => PREVIEW)
    setBackend(b)
    const w = mountCard()
    await chooseFile(w)
    await w.get('[data-testid="settings-import-run"]').trigger('click')
    await flushPromises()
    await flushPromises()
    await w.get('[data-testid="settings-import-cancel"]').trigger('click')
    await flushPromises()
    expect(b.calls.map((c) => c.op)).toEqual(['import_preview'])
    expect(w.find('[data-testid="settings-import-preview"]').exists()).toBe(false)
    w.unmount()
  })
})
