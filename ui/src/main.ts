// Entry point: i18n, router, the app shell, and the first settings read.

import { createApp } from 'vue'
import App from './App.vue'
import { currentLocale, i18n, setLocale } from './i18n'
import { router } from './router'
import { loadSettings } from './state/settings'
import './style.css'

setLocale(currentLocale())
const app = createApp(App)
app.use(i18n)
app.use(router)
app.mount('#app')
void loadSettings()
