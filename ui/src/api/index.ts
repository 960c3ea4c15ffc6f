// Typed wrappers: one function per operation, each a one-liner over the
// current `Backend`. Screens import these, never `Backend` itself, so every
// op name the UI uses is here. `OpName` comes from the generated ops.ts (the
// core's op table, kept current by a Rust test), so calling an op the table
// lacks fails `npm run typecheck`, and a Vitest test (api.test.ts) checks
// every op the wrappers call against the generated table at run time.

import { createBackend, type Backend } from './backend'
import type { OpArgs, OpName, OpResult } from './ops'
import { opFinished, opStarted } from '../lib/perfMarks'

export { ApiError, HttpBackend, TauriBackend, createBackend, inTauri } from './backend'
export type { Backend } from './backend'

let backend: Backend = createBackend()

/** Replaces the transport (tests, or a future third shell). */
export function setBackend(b: Backend): void {
  backend = b
}

/** The transport in use. */
export function getBackend(): Backend {
  return backend
}

function call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>> {
  // Counted for the screen timings (lib/perfMarks.ts).
  opStarted()
  return backend.call(op, args).finally(opFinished)
}

// settings
export const settingsGet = () => call('settings_get', {})
export const settingsSetEnvironment = (a: OpArgs<'settings_set_environment'>) => call('settings_set_environment', a)
export const settingsSetLanguage = (a: OpArgs<'settings_set_language'>) => call('settings_set_language', a)
export const settingsSetTheme = (a: OpArgs<'settings_set_theme'>) => call('settings_set_theme', a)
export const settingsSetLogRetention = (a: OpArgs<'settings_set_log_retention'>) => call('settings_set_log_retention', a)

// sandbox
export const sandboxStart = () => call('sandbox_start', {})
export const sandboxStatus = () => call('sandbox_status', {})
export const sandboxIssueJsCode = (a: OpArgs<'sandbox_issue_js_code'>) => call('sandbox_issue_js_code', a)
export const sandboxIssuePhoneCode = (a: OpArgs<'sandbox_issue_phone_code'>) => call('sandbox_issue_phone_code', a)
export const sandboxPushTicket = (a: OpArgs<'sandbox_push_ticket'>) => call('sandbox_push_ticket', a)
export const sandboxMirror = (a: OpArgs<'sandbox_mirror'>) => call('sandbox_mirror', a)
export const sandboxSampleData = (a: OpArgs<'sandbox_sample_data'>) => call('sandbox_sample_data', a)

// dashboard
export const dashboard = () => call('dashboard', {})

// mini programs
export const appList = () => call('app_list', {})
export const appShow = (a: OpArgs<'app_show'>) => call('app_show', a)
export const appAdd = (a: OpArgs<'app_add'>) => call('app_add', a)
export const appUpdate = (a: OpArgs<'app_update'>) => call('app_update', a)
export const appTestCredentials = (a: OpArgs<'app_test_credentials'>) => call('app_test_credentials', a)
export const appRemove = (a: OpArgs<'app_remove'>) => call('app_remove', a)

// tokens
export const appToken = (a: OpArgs<'app_token'>) => call('app_token', a)
export const componentToken = (a: OpArgs<'component_token'>) => call('component_token', a)
export const authorizerToken = (a: OpArgs<'authorizer_token'>) => call('authorizer_token', a)

// login
export const login = (a: OpArgs<'login'>) => call('login', a)
export const phone = (a: OpArgs<'phone'>) => call('phone', a)
export const checksession = (a: OpArgs<'checksession'>) => call('checksession', a)
export const sessions = (a: OpArgs<'sessions'>) => call('sessions', a)
export const decryptData = (a: OpArgs<'decrypt_data'>) => call('decrypt_data', a)

// third-party platforms
export const componentList = () => call('component_list', {})
export const componentShow = (a: OpArgs<'component_show'>) => call('component_show', a)
export const componentAdd = (a: OpArgs<'component_add'>) => call('component_add', a)
export const componentUpdate = (a: OpArgs<'component_update'>) => call('component_update', a)
export const componentTestCredentials = (a: OpArgs<'component_test_credentials'>) => call('component_test_credentials', a)
export const componentRemove = (a: OpArgs<'component_remove'>) => call('component_remove', a)
export const ticketSet = (a: OpArgs<'ticket_set'>) => call('ticket_set', a)
export const ticketPush = (a: OpArgs<'ticket_push'>) => call('ticket_push', a)
export const ticketStartPush = (a: OpArgs<'ticket_start_push'>) => call('ticket_start_push', a)
export const ticketStatus = (a: OpArgs<'ticket_status'>) => call('ticket_status', a)

// links
export const authLink = (a: OpArgs<'auth_link'>) => call('auth_link', a)
export const fastregisterLink = (a: OpArgs<'fastregister_link'>) => call('fastregister_link', a)
export const receiveLink = (a: OpArgs<'receive_link'>) => call('receive_link', a)
export const pushSecretsReveal = (a: OpArgs<'push_secrets_reveal'>) => call('push_secrets_reveal', a)

// team mode (Redis)
export const teamBind = (a: OpArgs<'team_bind'>) => call('team_bind', a)
export const teamShow = (a: OpArgs<'team_show'>) => call('team_show', a)
export const teamUnbind = (a: OpArgs<'team_unbind'>) => call('team_unbind', a)

// authorizers
export const authorize = (a: OpArgs<'authorize'>) => call('authorize', a)
export const authorizerList = (a: OpArgs<'authorizer_list'>) => call('authorizer_list', a)
export const authorizerPage = (a: OpArgs<'authorizer_page'>) => call('authorizer_page', a)
export const authorizerShow = (a: OpArgs<'authorizer_show'>) => call('authorizer_show', a)
export const authorizerRefreshInfo = (a: OpArgs<'authorizer_refresh_info'>) => call('authorizer_refresh_info', a)
export const authorizerSync = (a: OpArgs<'authorizer_sync'>) => call('authorizer_sync', a)
export const authorizerRefresh = (a: OpArgs<'authorizer_refresh'>) => call('authorizer_refresh', a)
export const authorizerRefreshPlan = (a: OpArgs<'authorizer_refresh_plan'>) => call('authorizer_refresh_plan', a)
export const authorizerFetchMissing = (a: OpArgs<'authorizer_fetch_missing'>) => call('authorizer_fetch_missing', a)
export const merchantNotesSet = (a: OpArgs<'merchant_notes_set'>) => call('merchant_notes_set', a)

// paid phone-number meter
export const meter = (a: OpArgs<'meter'>) => call('meter', a)
export const meterSetPrices = (a: OpArgs<'meter_set_prices'>) => call('meter_set_prices', a)
export const meterComponent = (a: OpArgs<'meter_component'>) => call('meter_component', a)
export const meterSetComponent = (a: OpArgs<'meter_set_component'>) => call('meter_set_component', a)
export const tokenForceBudget = (a: OpArgs<'token_force_budget'>) => call('token_force_budget', a)

// jobs
export const jobStatus = (a: OpArgs<'job_status'>) => call('job_status', a)
export const jobCancel = (a: OpArgs<'job_cancel'>) => call('job_cancel', a)

// fast registration
export const fastregisterEnterpriseCreate = (a: OpArgs<'fastregister_enterprise_create'>) => call('fastregister_enterprise_create', a)
export const fastregisterEnterpriseSearch = (a: OpArgs<'fastregister_enterprise_search'>) => call('fastregister_enterprise_search', a)
export const fastregisterPersonalCreate = (a: OpArgs<'fastregister_personal_create'>) => call('fastregister_personal_create', a)
export const fastregisterPersonalQuery = (a: OpArgs<'fastregister_personal_query'>) => call('fastregister_personal_query', a)
export const fastregisterBetaCreate = (a: OpArgs<'fastregister_beta_create'>) => call('fastregister_beta_create', a)
export const fastregisterOffiaccount = (a: OpArgs<'fastregister_offiaccount'>) => call('fastregister_offiaccount', a)
export const fastregisterTasks = (a: OpArgs<'fastregister_tasks'>) => call('fastregister_tasks', a)

// tools
export const toolDecryptPush = (a: OpArgs<'tool_decrypt_push'>) => call('tool_decrypt_push', a)
export const toolEncryptPush = (a: OpArgs<'tool_encrypt_push'>) => call('tool_encrypt_push', a)
export const toolDecryptData = (a: OpArgs<'tool_decrypt_data'>) => call('tool_decrypt_data', a)
export const toolSignRawData = (a: OpArgs<'tool_sign_raw_data'>) => call('tool_sign_raw_data', a)
export const toolSignSession = (a: OpArgs<'tool_sign_session'>) => call('tool_sign_session', a)
export const qr = (a: OpArgs<'qr'>) => call('qr', a)
export const errcodeExplain = (a: OpArgs<'errcode_explain'>) => call('errcode_explain', a)

// quota
export const quotaGet = (a: OpArgs<'quota_get'>) => call('quota_get', a)
export const quotaClear = (a: OpArgs<'quota_clear'>) => call('quota_clear', a)
export const ridLookup = (a: OpArgs<'rid_lookup'>) => call('rid_lookup', a)

// call log
export const callLog = (a: OpArgs<'call_log'>) => call('call_log', a)
export const inboxList = (a: OpArgs<'inbox_list'>) => call('inbox_list', a)
export const inboxApply = (a: OpArgs<'inbox_apply'>) => call('inbox_apply', a)
export const callLogEntry = (a: OpArgs<'call_log_entry'>) => call('call_log_entry', a)

// transfer
export const exportData = (a: OpArgs<'export'>) => call('export', a)
export const importPreview = (a: OpArgs<'import_preview'>) => call('import_preview', a)
export const importData = (a: OpArgs<'import'>) => call('import', a)

// files (Tauri only: the shell's save dialog grants the path to one save_file)
export const saveFile = (a: OpArgs<'save_file'>) => call('save_file', a)

// releases: templates, code, testers, domains, privacy, audit, release
export const templateDrafts = (a: OpArgs<'template_drafts'>) => call('template_drafts', a)
export const templateList = (a: OpArgs<'template_list'>) => call('template_list', a)
export const templateAdd = (a: OpArgs<'template_add'>) => call('template_add', a)
export const templateDelete = (a: OpArgs<'template_delete'>) => call('template_delete', a)
export const codeCommit = (a: OpArgs<'code_commit'>) => call('code_commit', a)
export const codeQr = (a: OpArgs<'code_qr'>) => call('code_qr', a)
export const testerBind = (a: OpArgs<'tester_bind'>) => call('tester_bind', a)
export const testerUnbind = (a: OpArgs<'tester_unbind'>) => call('tester_unbind', a)
export const testerList = (a: OpArgs<'tester_list'>) => call('tester_list', a)
export const domainGet = (a: OpArgs<'domain_get'>) => call('domain_get', a)
export const domainSet = (a: OpArgs<'domain_set'>) => call('domain_set', a)
export const webviewGet = (a: OpArgs<'webview_get'>) => call('webview_get', a)
export const webviewSet = (a: OpArgs<'webview_set'>) => call('webview_set', a)
export const privacyGet = (a: OpArgs<'privacy_get'>) => call('privacy_get', a)
export const privacySet = (a: OpArgs<'privacy_set'>) => call('privacy_set', a)
export const auditCheck = (a: OpArgs<'audit_check'>) => call('audit_check', a)
export const auditSubmit = (a: OpArgs<'audit_submit'>) => call('audit_submit', a)
export const auditStatus = (a: OpArgs<'audit_status'>) => call('audit_status', a)
export const auditScreenshots = (a: OpArgs<'audit_screenshots'>) => call('audit_screenshots', a)
export const auditUndo = (a: OpArgs<'audit_undo'>) => call('audit_undo', a)
export const auditSpeedup = (a: OpArgs<'audit_speedup'>) => call('audit_speedup', a)
export const auditQuota = (a: OpArgs<'audit_quota'>) => call('audit_quota', a)
export const releasePublish = (a: OpArgs<'release_publish'>) => call('release_publish', a)
export const releaseRevert = (a: OpArgs<'release_revert'>) => call('release_revert', a)
export const releaseStatus = (a: OpArgs<'release_status'>) => call('release_status', a)
export const releaseGray = (a: OpArgs<'release_gray'>) => call('release_gray', a)
export const releaseVisit = (a: OpArgs<'release_visit'>) => call('release_visit', a)
export const versionState = (a: OpArgs<'version_state'>) => call('version_state', a)
export const versionStates = (a: OpArgs<'version_states'>) => call('version_states', a)
export const sandboxAddDraft = (a: OpArgs<'sandbox_add_draft'>) => call('sandbox_add_draft', a)
export const sandboxNextAudit = (a: OpArgs<'sandbox_next_audit'>) => call('sandbox_next_audit', a)
export const sandboxScan = (a: OpArgs<'sandbox_scan'>) => call('sandbox_scan', a)
export const sandboxDeliverPushes = (a: OpArgs<'sandbox_deliver_pushes'>) => call('sandbox_deliver_pushes', a)
export const sandboxSeedMerchants = (a: OpArgs<'sandbox_seed_merchants'>) => call('sandbox_seed_merchants', a)

// release profiles and batches
export const profileSet = (a: OpArgs<'profile_set'>) => call('profile_set', a)
export const profileList = (a: OpArgs<'profile_list'>) => call('profile_list', a)
export const profileDelete = (a: OpArgs<'profile_delete'>) => call('profile_delete', a)
export const profileApply = (a: OpArgs<'profile_apply'>) => call('profile_apply', a)
export const batchRun = (a: OpArgs<'batch_run'>) => call('batch_run', a)
export const batchStatus = (a: OpArgs<'batch_status'>) => call('batch_status', a)
export const batchResume = (a: OpArgs<'batch_resume'>) => call('batch_resume', a)
export const batchCancel = (a: OpArgs<'batch_cancel'>) => call('batch_cancel', a)
export const batchList = (a: OpArgs<'batch_list'>) => call('batch_list', a)
export const batchSettings = () => call('batch_settings', {})

/** Runs an operation named at run time (a readiness finding's fix names its op and args). */
export const callNamed = (op: string, args: unknown) => backend.call(op as OpName, args as never)
export const platformDomains = (a: OpArgs<'platform_domains'>) => call('platform_domains', a)
