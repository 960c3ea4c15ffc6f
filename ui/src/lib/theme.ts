// Naive UI's theme as the app sets it, in one place: App.vue's config
// provider and the warm-up (lib/warmUp.ts), which draws components ahead of
// their first visit with the same theme so that the styles it makes Naive UI
// generate are the ones the screens use.

import type { GlobalThemeOverrides } from 'naive-ui'

/** WeChat green and the UI's fonts over Naive UI's defaults. */
export const THEME_OVERRIDES: GlobalThemeOverrides = {
  common: {
    primaryColor: '#07C160',
    primaryColorHover: '#22CC74',
    primaryColorPressed: '#06AD56',
    primaryColorSuppl: '#22CC74',
    borderRadius: '6px',
    fontFamily: 'var(--font-sans)',
    fontFamilyMono: 'var(--font-mono)',
  },
}

/**
 * Theme variables go into shared classes, not inline on every component:
 * in WebKitGTK a walk through every screen used 20–40 MB less and switched
 * about 10 ms faster (README, UI figures).
 */
export const INLINE_THEME_DISABLED = true
