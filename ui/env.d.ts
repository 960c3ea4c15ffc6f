/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare module '@vue/runtime-dom' {
  interface HTMLAttributes {
    /** Stable hook for browser tests (see TESTIDS.md). */
    'data-testid'?: string
  }
}

declare global {
  interface Window {
    /** Present only inside a Tauri 2 webview. */
    __TAURI_INTERNALS__?: unknown
  }
}

export {}
