// The screen timings the benchmark reads (lib/perfMarks.ts): a switch is
// measured only once the new screen's operations have answered, chained
// operations count as one busy period, and the first navigation is the first
// screen, not a switch.
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, onMounted } from 'vue'
import { RouterView, createMemoryHistory, createRouter } from 'vue-router'
import { mount } from '@vue/test-utils'
import * as api from '../src/api'
import type { Backend } from '../src/api'
import {
  markFirstScreen,
  pendingOps,
  switchInProgress,
  trackScreenSwitches,
  whenIdle,
  type PerfEnv,
} from '../src/lib/perfMarks'

/** A backend whose answers the test releases one by one. */
function heldBackend() {
  const held: Array<() => void> = []
  const backend: Backend = {
    call: () => new Promise((resolve) => held.push(() => resolve(null as never))),
  }
  return { backend, held }
}

function fakeEnv() {
  let clock = 0
  const entries: { type: 'mark' | 'measure'; name: string; start?: number; end?: number }[] = []
  const env: PerfEnv = {
    perf: {
      now: () => clock,
      mark: (name) => entries.push({ type: 'mark', name }),
      measure: (name, o) => entries.push({ type: 'measure', name, start: o.start, end: o.end }),
      getEntriesByType: (type) => entries.filter((e) => e.type === type),
      clearMeasures: () => {
        for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.type === 'measure') entries.splice(i, 1)
      },
    },
    frame: (cb) => setTimeout(cb, 0),
  }
  return { env, entries, advance: (ms: number) => (clock += ms) }
}

const flush = () => new Promise((r) => setTimeout(r, 5))

afterEach(() => {
  api.setBackend(api.createBackend())
})

describe('perf marks', () => {
  it('counts operations in flight through the api funnel, failures included', async () => {
    let fail!: (e: unknown) => void
    api.setBackend({ call: () => new Promise((_, reject) => (fail = reject)) })
    const p = api.settingsGet().catch(() => 'failed')
    expect(pendingOps()).toBe(1)
    let idle = false
    void whenIdle().then(() => (idle = true))
    await flush()
    expect(idle).toBe(false)
    fail(new Error('down'))
    expect(await p).toBe('failed')
    await flush()
    expect(pendingOps()).toBe(0)
    expect(idle).toBe(true)
  })

  it('measures a switch from its start until the new screen has its answers, and marks the first screen', async () => {
    const { backend, held } = heldBackend()
    api.setBackend(backend)
    const { env, entries, advance } = fakeEnv()
    // The second screen chains a second call after the first one answers.
    const Slow = defineComponent({
      setup() {
        onMounted(async () => {
          await api.appList()
          await api.componentList()
        })
        return () => h('p', 'slow')
      },
    })
    const Home = defineComponent({ render: () => h('p', 'home') })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'home', component: Home },
        { path: '/slow', name: 'slow', component: Slow },
      ],
    })
    trackScreenSwitches(router, env)
    await router.push('/')
    await router.isReady()
    mount(defineComponent({ render: () => h(RouterView) }), { global: { plugins: [router] } })
    await markFirstScreen(env)
    expect(entries.map((e) => e.name)).toEqual(['wxdesk:first-screen'])

    advance(10)
    await router.push('/slow')
    await flush()
    expect(switchInProgress()).toBe(true)
    advance(30)
    held.shift()!() // app_list answers; component_list is sent next
    await flush()
    expect(entries.filter((e) => e.type === 'measure')).toEqual([])
    expect(switchInProgress()).toBe(true)
    advance(25)
    held.shift()!()
    await flush()
    await flush()
    expect(switchInProgress()).toBe(false)
    const measures = entries.filter((e) => e.type === 'measure')
    expect(measures).toEqual([{ type: 'measure', name: 'wxdesk:switch:slow', start: 10, end: 65 }])
  })

  it('does not measure a navigation overtaken by a newer one', async () => {
    const { backend, held } = heldBackend()
    api.setBackend(backend)
    const { env, entries } = fakeEnv()
    const Busy = defineComponent({
      setup() {
        onMounted(() => void api.appList())
        return () => h('p', 'busy')
      },
    })
    const Plain = defineComponent({ render: () => h('p', 'plain') })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'home', component: Plain },
        { path: '/busy', name: 'busy', component: Busy },
        { path: '/plain', name: 'plain', component: Plain },
      ],
    })
    trackScreenSwitches(router, env)
    await router.push('/')
    mount(defineComponent({ render: () => h(RouterView) }), { global: { plugins: [router] } })
    await router.push('/busy')
    await flush()
    await router.push('/plain')
    held.shift()!()
    await flush()
    await flush()
    expect(entries.filter((e) => e.type === 'measure').map((e) => e.name)).toEqual(['wxdesk:switch:plain'])
  })

  it('stays busy until the newest navigation has settled, whatever older ones do', async () => {
    const { env } = fakeEnv()
    let loadA!: (c: unknown) => void
    let loadB!: (c: unknown) => void
    const Plain = defineComponent({ render: () => h('p', 'plain') })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'home', component: Plain },
        { path: '/a', name: 'a', component: () => new Promise((resolve) => (loadA = resolve)) },
        { path: '/b', name: 'b', component: () => new Promise((resolve) => (loadB = resolve)) },
      ],
    })
    trackScreenSwitches(router, env)
    await router.push('/')
    mount(defineComponent({ render: () => h(RouterView) }), { global: { plugins: [router] } })
    await flush()
    await flush()
    expect(switchInProgress()).toBe(false)
    const a = router.push('/a') // waits for its screen's code
    await flush()
    expect(switchInProgress()).toBe(true)
    const b = router.push('/b') // also waits for its code
    await flush()
    loadA({ default: Plain }) // a ends, cancelled by b
    await a
    await flush()
    expect(switchInProgress()).toBe(true)
    loadB({ default: Plain })
    await b
    await flush()
    await flush()
    expect(router.currentRoute.value.name).toBe('b')
    expect(switchInProgress()).toBe(false)
    // A click on the screen shown is a duplicate: nothing starts.
    await router.push('/b')
    expect(switchInProgress()).toBe(false)
  })

  it('is not left busy by a screen whose code fails to load', async () => {
    const { env } = fakeEnv()
    const Plain = defineComponent({ render: () => h('p', 'plain') })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'home', component: Plain },
        { path: '/broken', name: 'broken', component: () => Promise.reject(new Error('chunk missing')) },
      ],
    })
    trackScreenSwitches(router, env)
    await router.push('/')
    await flush()
    await expect(router.push('/broken')).rejects.toThrow('chunk missing')
    await flush()
    expect(switchInProgress()).toBe(false)
  })
})

