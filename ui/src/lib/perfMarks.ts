// The UI's own timings, as standard User Timing entries (they show in the
// browser's performance tools, and the benchmark `wxdesk-bench --only ui`
// reads them through WebDriver):
//
// - `wxdesk:first-screen` (a mark): the first screen has mounted, every
//   operation it started has answered, and the next frame is due;
// - `wxdesk:switch:<route name>` (a measure): from the start of a navigation
//   to the same point on the new screen (its code loaded, mounted, its
//   operations answered).
//
// "Answered" is tracked by counting the operations in flight (`opStarted` /
// `opFinished`, called by the one funnel in api/index.ts). Nothing here is
// kept beyond the browser's own entry buffer, which is trimmed.

import { nextTick } from 'vue'
import { START_LOCATION, type RouteLocationNormalized, type Router } from 'vue-router'

/** The parts of `performance` used here (injectable for tests). */
export interface PerfLike {
  now(): number
  mark(name: string): unknown
  measure(name: string, options: { start: number; end: number }): unknown
  getEntriesByType(type: string): { name: string }[]
  clearMeasures(name?: string): void
}

export interface PerfEnv {
  perf: PerfLike
  /** Calls back before the next frame is painted. */
  frame: (cb: () => void) => void
}

const browserEnv = (): PerfEnv => ({
  perf: performance,
  frame: (cb) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 0)),
})

/** Measures kept before the oldest are dropped. */
const MAX_MEASURES = 200

let inFlight = 0
let idleWaiters: Array<() => void> = []

/** An operation was sent. */
export function opStarted(): void {
  inFlight += 1
}

/** An operation answered (or failed). */
export function opFinished(): void {
  inFlight = Math.max(0, inFlight - 1)
  if (inFlight === 0) {
    const waiters = idleWaiters
    idleWaiters = []
    for (const w of waiters) w()
  }
}

/** Operations in flight now. */
export function pendingOps(): number {
  return inFlight
}

/**
 * Resolves once no operation is in flight, and none started in the task that
 * ended the last one (a screen that chains a second call after the first
 * still counts as busy).
 */
export async function whenIdle(): Promise<void> {
  for (;;) {
    if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve))
    await new Promise((resolve) => setTimeout(resolve, 0))
    if (inFlight === 0) return
  }
}

/** Resolves when the screen as it is now is rendered: Vue has flushed, no operation is in flight, the next frame is due. */
async function settled(env: PerfEnv): Promise<void> {
  await nextTick()
  await whenIdle()
  await nextTick()
  await new Promise<void>((resolve) => env.frame(resolve))
}

/** Marks `wxdesk:first-screen` once the mounted first screen has settled. */
export async function markFirstScreen(env: PerfEnv = browserEnv()): Promise<void> {
  await settled(env)
  env.perf.mark('wxdesk:first-screen')
}

/**
 * Measures every navigation after the first (`wxdesk:switch:<route name>`).
 * A navigation overtaken by a newer one is not measured.
 */
export function trackScreenSwitches(router: Router, env: PerfEnv = browserEnv()): void {
  let start = 0
  let seq = 0
  router.beforeEach((to) => {
    start = env.perf.now()
    pendingNavigation = to
  })
  // A navigation that ends in an error (a screen's code failed to load) never
  // reaches afterEach.
  router.onError((_error, to) => {
    if (to === pendingNavigation) pendingNavigation = null
  })
  router.afterEach(async (to, from, failure) => {
    // Only the newest navigation's end clears it: an older one cancelled by
    // it, or a duplicate click, ends while the newest is still loading.
    if (to === pendingNavigation) pendingNavigation = null
    if (failure) return
    const mine = ++seq
    const began = start
    settling += 1
    try {
      await settled(env)
    } finally {
      settling -= 1
    }
    // The first navigation is the first screen (see markFirstScreen).
    if (mine !== seq || from === START_LOCATION) return
    if (env.perf.getEntriesByType('measure').length >= MAX_MEASURES) env.perf.clearMeasures()
    env.perf.measure(`wxdesk:switch:${String(to.name ?? to.path)}`, { start: began, end: env.perf.now() })
  })
}

/** The navigation started last, until it ends. */
let pendingNavigation: RouteLocationNormalized | null = null
/** Screens drawn by a finished navigation that have not settled yet. */
let settling = 0

/** True from the start of a navigation until its screen has settled. */
export function switchInProgress(): boolean {
  return pendingNavigation !== null || settling > 0
}
