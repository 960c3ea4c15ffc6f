// A build-time edit of Naive UI's `useTheme` (naive-ui/es/_mixins/
// use-theme.mjs, pinned in package.json): its computed theme goes through
// `sharedTheme` (src/lib/naiveThemeCache.ts, which says why). The edit
// matches the pinned version's text exactly; if an upgrade changes that
// text, the build fails here instead of silently losing the cache.
import { join } from 'node:path'
import { normalizePath, type Plugin } from 'vite'

const TARGET = /naive-ui[\\/]es[\\/]_mixins[\\/]use-theme\.mjs$/

/** The two places edited: the computed's opening, and its end. */
const OPEN = 'return computed(() => {\n    const {\n      theme: {'
const CLOSE = '      peerOverrides: merge({}, builtinOverrides.peers, globalPeersOverrides, peersOverrides)\n    };\n  });\n}'

/** use-theme.mjs with its computed routed through `sharedTheme`. */
export function patchUseTheme(code: string, cacheModule: string): string {
  if (!code.includes(OPEN) || !code.includes(CLOSE)) {
    throw new Error('naive-ui use-theme.mjs is not the text build/naiveThemeCache.ts edits (was naive-ui upgraded?)')
  }
  return (
    `import { sharedTheme as __sharedTheme } from ${JSON.stringify(cacheModule)};\n` +
    code
      .replace(OPEN, 'const compute = () => {\n    const {\n      theme: {')
      .replace(
        CLOSE,
        '      peerOverrides: merge({}, builtinOverrides.peers, globalPeersOverrides, peersOverrides)\n    };\n  };\n' +
          '  return computed(() => __sharedTheme(resolveId, defaultTheme, props, NConfigProvider, compute));\n}',
      )
  )
}

/** The Vite plugin applying the edit. */
export function naiveThemeCache(): Plugin {
  let cacheModule = ''
  return {
    name: 'wxdesk-naive-theme-cache',
    enforce: 'pre',
    configResolved(config) {
      cacheModule = normalizePath(join(config.root, 'src/lib/naiveThemeCache.ts'))
    },
    transform(code, id) {
      if (!TARGET.test(id.split('?')[0] ?? id)) return null
      return { code: patchUseTheme(code, cacheModule), map: null }
    },
  }
}
