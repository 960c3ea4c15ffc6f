// The warm-up after the first screen (lib/warmUp.ts): it loads the lazy
// screens and draws Naive UI's components off the document, one step per
// free moment, never while a navigation or an operation is in progress, and
// an error only ends it.
import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import { routes } from '../src/router'
import { WARM_GROUPS, drawDetached, lazyScreens, messageKeys, messageSteps, warmUp, type WarmUpEnv } from '../src/lib/warmUp'
import { i18n, setLocale } from '../src/i18n'

/** A page whose "later" queue the test runs by hand. */
function manualEnv(busy: () => boolean) {
  const queue: Array<() => void> = []
  const env: WarmUpEnv = { later: (cb) => queue.push(cb), busy }
  const tick = async () => {
    const cb = queue.shift()
    cb?.()
    await new Promise((r) => setTimeout(r, 0))
  }
  return { env, queue, tick }
}

describe('warm-up', () => {
  it('waits while the page is busy and runs one step per free moment', async () => {
    let busy = true
    const ran: number[] = []
    const { env, queue, tick } = manualEnv(() => busy)
    const done = warmUp([() => ran.push(1), () => ran.push(2)], env)
    await tick()
    await tick()
    expect(ran).toEqual([])
    expect(queue.length).toBe(1)
    busy = false
    await tick()
    expect(ran).toEqual([1])
    await tick()
    expect(await done).toBe(2)
    expect(ran).toEqual([1, 2])
  })

  it('skips a step that fails and goes on', async () => {
    const ran: string[] = []
    const { env, tick } = manualEnv(() => false)
    const done = warmUp(
      [
        () => ran.push('a'),
        () => Promise.reject(new Error('chunk missing')),
        () => ran.push('c'),
      ],
      env,
    )
    for (let i = 0; i < 5; i++) await tick()
    expect(await done).toBe(2)
    expect(ran).toEqual(['a', 'c'])
  })

  it('loads every lazy screen of the router', async () => {
    const lazy = lazyScreens(routes)
    expect(lazy.length).toBe(routes.filter((r) => r.name !== undefined).length)
    const modules = (await Promise.all(lazy.map((load) => load()))) as Array<{ default?: { render?: unknown; setup?: unknown } }>
    for (const m of modules) expect(m.default?.render ?? m.default?.setup).toBeTypeOf('function')
  }, 60_000)

  it('draws each group off the document and injects its styles into the head', () => {
    const before = document.head.querySelectorAll('style').length
    const bodyBefore = document.body.innerHTML
    for (const draw of WARM_GROUPS) drawDetached(draw)
    expect(document.head.querySelectorAll('style').length).toBeGreaterThan(before)
    expect(document.body.innerHTML).toBe(bodyBefore)
    // Drawing again adds no style: Naive UI mounts each once.
    const after = document.head.querySelectorAll('style').length
    drawDetached(WARM_GROUPS[0]!)
    expect(document.head.querySelectorAll('style').length).toBe(after)
  }, 30_000)

  it('takes a drawing down even when it throws', () => {
    expect(() =>
      drawDetached(() => {
        throw new Error('boom')
      }),
    ).toThrow()
    expect(() => drawDetached(() => h('p', 'ok'))).not.toThrow()
  })

  it('lists every message key of a language, and translates them all in steps', () => {
    expect(messageKeys({ a: 'x', b: { c: 'y', d: { e: 'z' } }, list: ['no'], n: 1 })).toEqual(['a', 'b.c', 'b.d.e'])
    const seen: string[] = []
    const steps = messageSteps((k) => seen.push(k), ['a', 'b', 'c', 'd', 'e'], 2)
    expect(steps).toHaveLength(3)
    for (const step of steps) step()
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it("covers the UI's real messages: both languages' keys, each translating without parameters", () => {
    const zh = messageKeys(i18n.global.getLocaleMessage('zh-CN'))
    const en = messageKeys(i18n.global.getLocaleMessage('en'))
    expect(zh.length).toBeGreaterThan(500)
    expect([...zh].sort()).toEqual([...en].sort())
    try {
      setLocale('zh-CN')
      // Translating every one (with no parameters) throws for none of them.
      for (const step of messageSteps((k) => i18n.global.t(k), zh)) expect(step).not.toThrow()
    } finally {
      setLocale('en')
    }
  })
})
