// Entry point: i18n, router, the app shell. The settings (language, theme,
// environment) are read before the first paint, so the window does not flip
// language or theme after it appears; a core that does not answer within
// 1.5 s does not hold the window back (the shell then shows the error).
// The first screen and every screen switch are timed (lib/perfMarks.ts);
// once the first screen is up, the others are warmed up (lib/warmUp.ts).

import { createApp } from 'vue'
import App from './App.vue'
import { currentLocale, i18n, setLocale } from './i18n'
import { router, routes } from './router'
import { loadSettings } from './state/settings'
import { markFirstScreen, pendingOps, switchInProgress, trackScreenSwitches } from './lib/perfMarks'
import { installPasteTrim } from './lib/paste'
import './style.css'
import './components/plain/plain.css'
import './components/plain/plain-fields.css'
import './components/plain/plain-display.css'

setLocale(currentLocale())
installPasteTrim()

async function start(): Promise<void> {
  const app = createApp(App)
  app.use(i18n)
  trackScreenSwitches(router)
  app.use(router)
  await Promise.race([loadSettings(), new Promise((resolve) => setTimeout(resolve, 1500))])
  app.mount('#app')
  await markFirstScreen()
  // Every screen's code and Naive UI's component styles, ahead of their first
  // visit, one small step at a time while nothing else is going on.
  try {
    const { WARM_GROUPS, drawDetached, lazyScreens, messageKeys, messageSteps, warmUp } = await import('./lib/warmUp')
    const keys = messageKeys(i18n.global.getLocaleMessage(currentLocale()))
    const steps = [
      ...lazyScreens(routes),
      ...messageSteps((key) => i18n.global.t(key), keys),
      ...WARM_GROUPS.map((draw) => () => drawDetached(draw)),
    ]
    await warmUp(steps, {
      later: (cb) => setTimeout(cb, 0),
      busy: () => switchInProgress() || pendingOps() > 0,
    })
  } catch {
    // Only a head start: every screen still loads its own code when visited.
  } finally {
    // For the benchmark (WXDESK_BENCH_UI_AFTER_WARM): the warm-up is over.
    performance.mark('wxdesk:warm')
  }
}

void start()
