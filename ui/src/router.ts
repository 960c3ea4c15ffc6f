// Screens and their addresses. Hash history, so the same build works from
// the Tauri custom protocol and from `wxdesk serve` without server rewrites.

import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
  { path: '/apps', name: 'apps', component: () => import('./views/apps/AppsView.vue') },
  { path: '/apps/:appid', name: 'app', component: () => import('./views/apps/AppDetailView.vue'), props: true },
  { path: '/components', name: 'components', component: () => import('./views/components/ComponentsView.vue') },
  {
    path: '/components/:appid',
    name: 'component',
    component: () => import('./views/components/ComponentDetailView.vue'),
    props: true,
  },
  {
    path: '/components/:appid/authorize',
    name: 'authorize',
    component: () => import('./views/components/AuthorizeWizardView.vue'),
    props: true,
  },
  { path: '/authorizers', name: 'authorizers', component: () => import('./views/authorizers/AuthorizersView.vue') },
  {
    path: '/authorizers/:component/:appid',
    name: 'authorizer',
    component: () => import('./views/authorizers/AuthorizerDetailView.vue'),
    props: true,
  },
  { path: '/releases', name: 'releases', component: () => import('./views/releases/ReleasesView.vue') },
  {
    path: '/releases/:component/:appid',
    name: 'release',
    component: () => import('./views/releases/MerchantReleaseView.vue'),
    props: true,
  },
  { path: '/fastregister', name: 'fastregister', component: () => import('./views/fastregister/FastRegisterView.vue') },
  { path: '/tools', name: 'tools', component: () => import('./views/tools/ToolsView.vue') },
  { path: '/inbox', name: 'inbox', component: () => import('./views/InboxView.vue') },
  { path: '/calls', name: 'calls', component: () => import('./views/CallLogView.vue') },
  { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
  // No scrollBehavior: the window never scrolls; AppShell puts its content pane back to the top.
})
