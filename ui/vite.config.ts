/// <reference types="vitest/config" />
// Vite builds the operator UI into dist/ with a relative base, so the same
// files work inside the Tauri window (custom protocol) and under
// `wxdesk serve` at `/`. `npm run dev` proxies /api to a running
// `wxdesk serve` when WXDESK_SERVE_URL is set.
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { naiveThemeCache } from './build/naiveThemeCache'

const serveUrl = process.env.WXDESK_SERVE_URL

export default defineConfig({
  base: './',
  plugins: [vue(), naiveThemeCache()],
  // Compile-time flags of Vue and vue-i18n: Composition API only, no
  // devtools hooks in production, messages compiled without eval (the Tauri
  // CSP allows no 'unsafe-eval').
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: serveUrl ? { '/api': { target: serveUrl, changeOrigin: false } } : undefined,
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
  },
})
