// What the account lists (mini programs, platforms) share: loading the
// rows through useAction (reloaded whenever the entity changes anywhere),
// the add / edit modal state, the first load (with the sandbox's demo
// account and `?prefill=demo`), removal with the core's confirmation, and the
// columns every list has — a name linking to the detail page, a copyable
// AppID, and Open / Edit / Remove. ListView.vue draws the page around them.

import { h, ref, shallowRef, watch, type VNodeChild } from 'vue'
import { RouterLink, useRoute, useRouter } from 'vue-router'
import PlainButton from '../components/plain/PlainButton'
import Flex from '../components/Flex'
import type { GridColumn } from '../components/DataGrid.vue'
import { useI18n } from 'vue-i18n'
import CopyButton from '../components/CopyButton.vue'
import { useAction, type Entity } from './useAction'
import { useErrorDisplay } from './useErrorDisplay'
import { loadSandbox, sandboxDemo } from '../state/sandbox'

export interface ListViewOptions<T> {
  /** The entity the list shows (a change to it anywhere reloads the list). */
  entity: Entity
  /** Prefix of the rows' test ids (`app` → `app-link-…`, `app-open-…`). */
  testid: string
  /** The detail route's name; its `appid` param is the row key. */
  detailRoute: string
  list: () => Promise<T[]>
  remove: (row: T, confirmed: boolean) => Promise<unknown>
  key: (row: T) => string
  name: (row: T) => string | null | undefined
}

export function useListView<T>(opts: ListViewOptions<T>) {
  const { t } = useI18n()
  const router = useRouter()
  const route = useRoute()
  const { withConfirmation } = useErrorDisplay()

  const rows = shallowRef<T[]>([])
  const loaded = ref(false)
  const showForm = ref(false)
  /**
   * The add/edit dialog is mounted from its first opening on (then kept, so
   * it can animate closed): a list visit does not set up a dialog and its
   * validated form that most visits never open.
   */
  const formMounted = ref(false)
  watch(showForm, (open) => {
    if (open) formMounted.value = true
  })
  const editing = shallowRef<T | null>(null)
  const prefillDemo = ref(false)

  const load = useAction(
    async () => {
      rows.value = await opts.list()
      loaded.value = true
      return rows.value
    },
    { reloadOn: [opts.entity] },
  )

  function openAdd(demo = false) {
    editing.value = null
    prefillDemo.value = demo
    showForm.value = true
  }

  function openEdit(row: T) {
    editing.value = row
    prefillDemo.value = false
    showForm.value = true
  }

  /**
   * Loads the list (and the sandbox's demo account, which the header offers);
   * then `?prefill=demo` (Settings' Fill buttons) opens the add form filled
   * with the demo account and leaves the address.
   */
  async function start() {
    if (!sandboxDemo.value) void loadSandbox()
    await load.run()
    if (route?.query.prefill === 'demo') {
      if (sandboxDemo.value) openAdd(true)
      void router.replace({ query: {} })
    }
  }

  function open(row: T) {
    return router.push({ name: opts.detailRoute, params: { appid: opts.key(row) } })
  }

  /** After the modal saved: reload, and go to a new account's page. */
  async function onSaved(row: T) {
    await load.run()
    if (!editing.value) void open(row)
  }

  async function remove(row: T) {
    const done = await withConfirmation((confirmed) => opts.remove(row, confirmed))
    if (done !== undefined) await load.run()
  }

  const p = opts.testid
  const nameColumn = (): GridColumn<T> => ({
    title: t('fields.name'),
    key: 'name',
    className: 'list-view__name',
    render: (r) =>
      h(RouterLink, { to: { name: opts.detailRoute, params: { appid: opts.key(r) } }, 'data-testid': `${p}-link-${opts.key(r)}` }, () =>
        opts.name(r) || t('common.unnamed'),
      ),
  })

  const appidColumn = (title: string): GridColumn<T> => ({
    title,
    key: 'appid',
    render: (r) =>
      h('span', { class: 'row' }, [
        h('code', { class: 'mono' }, opts.key(r)),
        h(CopyButton, { text: opts.key(r), size: 'tiny', quaternary: true, testid: `${p}-copy-${opts.key(r)}` }),
      ]),
  })

  const actionsColumn = (extra?: (row: T) => VNodeChild[]): GridColumn<T> => ({
    title: t('common.actions'),
    key: 'actions',
    width: 230,
    render: (r) =>
      h(Flex, { size: 'small' }, () => [
        h(PlainButton, { size: 'small', onClick: () => open(r), 'data-testid': `${p}-open-${opts.key(r)}` }, () => t('common.open')),
        h(PlainButton, { size: 'small', onClick: () => openEdit(r), 'data-testid': `${p}-edit-${opts.key(r)}` }, () => t('common.edit')),
        h(
          PlainButton,
          { size: 'small', type: 'error', secondary: true, onClick: () => remove(r), 'data-testid': `${p}-remove-${opts.key(r)}` },
          () => t('common.remove'),
        ),
        ...(extra ? extra(r) : []),
      ]),
  })

  return { rows, loaded, load, start, showForm, formMounted, editing, prefillDemo, openAdd, openEdit, onSaved, remove, nameColumn, appidColumn, actionsColumn }
}
