// The wrappers: each calls the op it is named after with exactly the
// arguments it was given, every op they call exists in the core's table
// (the generated ops.ts, kept current by the core's Rust test), and every argument object has
// the fields of the ts-rs type the core generated for that op — no more
// (the core rejects unknown fields), no fewer.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as api from '../src/api'
import { createBackend, getBackend, setBackend } from '../src/api'
import type { Backend } from '../src/api/backend'
import { readUi, RecordingBackend } from './helpers'

type Case = [name: string, run: () => Promise<unknown>, op: string, args: unknown]

const C = 'wx1111111111111111'
const A = 'wx2222222222222222'

const cases: Case[] = [
  ['settingsGet', () => api.settingsGet(), 'settings_get', {}],
  ['settingsSetEnvironment', () => api.settingsSetEnvironment({ environment: { kind: 'sandbox', base: 'http://127.0.0.1:7878' } }), 'settings_set_environment', { environment: { kind: 'sandbox', base: 'http://127.0.0.1:7878' } }],
  ['settingsSetLanguage', () => api.settingsSetLanguage({ language: 'en' }), 'settings_set_language', { language: 'en' }],
  ['settingsSetTheme', () => api.settingsSetTheme({ theme: 'dark' }), 'settings_set_theme', { theme: 'dark' }],
  ['settingsSetLogRetention', () => api.settingsSetLogRetention({ days: 7 }), 'settings_set_log_retention', { days: 7 }],
  ['sandboxStart', () => api.sandboxStart(), 'sandbox_start', {}],
  ['sandboxStatus', () => api.sandboxStatus(), 'sandbox_status', {}],
  ['sandboxIssueJsCode', () => api.sandboxIssueJsCode({ appid: A, openid: null }), 'sandbox_issue_js_code', { appid: A, openid: null }],
  ['sandboxIssuePhoneCode', () => api.sandboxIssuePhoneCode({ appid: A, phone: '13800138000' }), 'sandbox_issue_phone_code', { appid: A, phone: '13800138000' }],
  ['sandboxPushTicket', () => api.sandboxPushTicket({ component_appid: C }), 'sandbox_push_ticket', { component_appid: C }],
  ['sandboxMirror', () => api.sandboxMirror({ appid: A, kind: 'app' }), 'sandbox_mirror', { appid: A, kind: 'app' }],
  ['sandboxSampleData', () => api.sandboxSampleData({ appid: A, openid: 'o1' }), 'sandbox_sample_data', { appid: A, openid: 'o1' }],
  ['dashboard', () => api.dashboard(), 'dashboard', {}],
  ['appList', () => api.appList(), 'app_list', {}],
  ['appShow', () => api.appShow({ appid: A }), 'app_show', { appid: A }],
  ['appAdd', () => api.appAdd({ appid: A, secret: 's', name: null }), 'app_add', { appid: A, secret: 's', name: null }],
  ['appTestCredentials', () => api.appTestCredentials({ appid: A, secret: 's' }), 'app_test_credentials', { appid: A, secret: 's' }],
  ['componentTestCredentials', () => api.componentTestCredentials({ appid: C, secret: 's' }), 'component_test_credentials', { appid: C, secret: 's' }],
  ['appUpdate', () => api.appUpdate({ appid: A, secret: null, name: 'n' }), 'app_update', { appid: A, secret: null, name: 'n' }],
  ['appRemove', () => api.appRemove({ appid: A, confirmed: false }), 'app_remove', { appid: A, confirmed: false }],
  ['appToken', () => api.appToken({ appid: A, mode: 'stable', force: false, confirmed: false, reveal: false }), 'app_token', { appid: A, mode: 'stable', force: false, confirmed: false, reveal: false }],
  ['componentToken', () => api.componentToken({ component_appid: C, force: true, confirmed: true, reveal: false }), 'component_token', { component_appid: C, force: true, confirmed: true, reveal: false }],
  ['authorizerToken', () => api.authorizerToken({ component_appid: C, authorizer_appid: A, force: false, confirmed: false, reveal: true }), 'authorizer_token', { component_appid: C, authorizer_appid: A, force: false, confirmed: false, reveal: true }],
  ['login', () => api.login({ appid: A, code: 'c', component_appid: null, reveal: true }), 'login', { appid: A, code: 'c', component_appid: null, reveal: true }],
  ['phone', () => api.phone({ appid: A, code: 'c', component_appid: C }), 'phone', { appid: A, code: 'c', component_appid: C }],
  ['checksession', () => api.checksession({ appid: A, openid: 'o', component_appid: null }), 'checksession', { appid: A, openid: 'o', component_appid: null }],
  ['sessions', () => api.sessions({ appid: A }), 'sessions', { appid: A }],
  ['decryptData', () => api.decryptData({ appid: A, openid: 'o', iv: 'i', data: 'd' }), 'decrypt_data', { appid: A, openid: 'o', iv: 'i', data: 'd' }],
  ['componentList', () => api.componentList(), 'component_list', {}],
  ['componentShow', () => api.componentShow({ component_appid: C }), 'component_show', { component_appid: C }],
  ['componentAdd', () => api.componentAdd({ appid: C, secret: 's', token: 't', aes_key: 'k', name: null, redirect_uri: null }), 'component_add', { appid: C, secret: 's', token: 't', aes_key: 'k', name: null, redirect_uri: null }],
  ['componentUpdate', () => api.componentUpdate({ appid: C, secret: null, token: null, aes_key: null, name: 'x', redirect_uri: null }), 'component_update', { appid: C, secret: null, token: null, aes_key: null, name: 'x', redirect_uri: null }],
  ['componentRemove', () => api.componentRemove({ appid: C, confirmed: true }), 'component_remove', { appid: C, confirmed: true }],
  ['ticketSet', () => api.ticketSet({ component_appid: C, ticket: 't' }), 'ticket_set', { component_appid: C, ticket: 't' }],
  ['ticketPush', () => api.ticketPush({ component_appid: C, query: 'q', body: 'b' }), 'ticket_push', { component_appid: C, query: 'q', body: 'b' }],
  ['ticketStartPush', () => api.ticketStartPush({ component_appid: C }), 'ticket_start_push', { component_appid: C }],
  ['ticketStatus', () => api.ticketStatus({ component_appid: C }), 'ticket_status', { component_appid: C }],
  ['authLink', () => api.authLink({ component_appid: C, kind: 'h5', redirect_uri: null, auth_type: 2, biz_appid: null, category_ids: [17, 18] }), 'auth_link', { component_appid: C, kind: 'h5', redirect_uri: null, auth_type: 2, biz_appid: null, category_ids: [17, 18] }],
  ['fastregisterLink', () => api.fastregisterLink({ component_appid: C, appid: A, redirect_uri: null, copy_wx_verify: true }), 'fastregister_link', { component_appid: C, appid: A, redirect_uri: null, copy_wx_verify: true }],
  ['receiveLink', () => api.receiveLink({ component_appid: C, kind: 'pc', auth_type: null, biz_appid: null }), 'receive_link', { component_appid: C, kind: 'pc', auth_type: null, biz_appid: null }],
  ['pushSecretsReveal', () => api.pushSecretsReveal({ component_appid: C }), 'push_secrets_reveal', { component_appid: C }],
  ['teamBind', () => api.teamBind({ component_appid: C, appid: null, redis_url: 'redis://127.0.0.1:6379/0', layout: 'wxjava-open', prefix: null, codec: null, mode: null, ca_pem: null }), 'team_bind', { component_appid: C, appid: null, redis_url: 'redis://127.0.0.1:6379/0', layout: 'wxjava-open', prefix: null, codec: null, mode: null, ca_pem: null }],
  ['teamShow', () => api.teamShow({ component_appid: null, appid: A }), 'team_show', { component_appid: null, appid: A }],
  ['teamUnbind', () => api.teamUnbind({ component_appid: C, appid: null }), 'team_unbind', { component_appid: C, appid: null }],
  ['authorize', () => api.authorize({ component_appid: C, auth_code: null, callback_url: 'https://x/cb?auth_code=1' }), 'authorize', { component_appid: C, auth_code: null, callback_url: 'https://x/cb?auth_code=1' }],
  ['authorizerList', () => api.authorizerList({ component_appid: C, status: 'active', account_type: null, search: null }), 'authorizer_list', { component_appid: C, status: 'active', account_type: null, search: null }],
  ['authorizerPage', () => api.authorizerPage({ component_appid: C, status: null, account_type: null, search: 'shop', tag: 'vip', limit: 50, offset: 100 }), 'authorizer_page', { component_appid: C, status: null, account_type: null, search: 'shop', tag: 'vip', limit: 50, offset: 100 }],
  ['authorizerShow', () => api.authorizerShow({ appid: A, component_appid: C }), 'authorizer_show', { appid: A, component_appid: C }],
  ['authorizerRefreshInfo', () => api.authorizerRefreshInfo({ appid: A, component_appid: null }), 'authorizer_refresh_info', { appid: A, component_appid: null }],
  ['authorizerSync', () => api.authorizerSync({ component_appid: C, confirmed: false }), 'authorizer_sync', { component_appid: C, confirmed: false }],
  ['authorizerRefresh', () => api.authorizerRefresh({ component_appid: C, appid: null, all: true, concurrency: null, force: false, confirmed: false }), 'authorizer_refresh', { component_appid: C, appid: null, all: true, concurrency: null, force: false, confirmed: false }],
  ['authorizerRefreshPlan', () => api.authorizerRefreshPlan({ component_appid: C, appid: null, all: true, concurrency: null, force: true, confirmed: false }), 'authorizer_refresh_plan', { component_appid: C, appid: null, all: true, concurrency: null, force: true, confirmed: false }],
  ['tokenForceBudget', () => api.tokenForceBudget({ appid: A }), 'token_force_budget', { appid: A }],
  ['jobStatus', () => api.jobStatus({ job_id: 'j1' }), 'job_status', { job_id: 'j1' }],
  ['jobCancel', () => api.jobCancel({ job_id: 'j1' }), 'job_cancel', { job_id: 'j1' }],
  ['fastregisterEnterpriseCreate', () => api.fastregisterEnterpriseCreate({ component_appid: C, name: 'n', code: 'c', code_type: 1, legal_persona_wechat: 'w', legal_persona_name: 'p', component_phone: null }), 'fastregister_enterprise_create', { component_appid: C, name: 'n', code: 'c', code_type: 1, legal_persona_wechat: 'w', legal_persona_name: 'p', component_phone: null }],
  ['fastregisterEnterpriseSearch', () => api.fastregisterEnterpriseSearch({ component_appid: C, name: 'n', legal_persona_wechat: 'w', legal_persona_name: 'p' }), 'fastregister_enterprise_search', { component_appid: C, name: 'n', legal_persona_wechat: 'w', legal_persona_name: 'p' }],
  ['fastregisterPersonalCreate', () => api.fastregisterPersonalCreate({ component_appid: C, idname: 'i', wxuser: 'w', component_phone: null }), 'fastregister_personal_create', { component_appid: C, idname: 'i', wxuser: 'w', component_phone: null }],
  ['fastregisterPersonalQuery', () => api.fastregisterPersonalQuery({ component_appid: C, taskid: 't' }), 'fastregister_personal_query', { component_appid: C, taskid: 't' }],
  ['fastregisterBetaCreate', () => api.fastregisterBetaCreate({ component_appid: C, name: 'name', openid: 'o' }), 'fastregister_beta_create', { component_appid: C, name: 'name', openid: 'o' }],
  ['fastregisterOffiaccount', () => api.fastregisterOffiaccount({ component_appid: C, authorizer_appid: A, ticket: 't' }), 'fastregister_offiaccount', { component_appid: C, authorizer_appid: A, ticket: 't' }],
  ['fastregisterTasks', () => api.fastregisterTasks({ component_appid: null }), 'fastregister_tasks', { component_appid: null }],
  ['toolDecryptPush', () => api.toolDecryptPush({ token: 't', aes_key: 'k', appid: C, query: 'q', body: 'b' }), 'tool_decrypt_push', { token: 't', aes_key: 'k', appid: C, query: 'q', body: 'b' }],
  ['toolEncryptPush', () => api.toolEncryptPush({ token: 't', aes_key: 'k', appid: C, timestamp: '1', nonce: 'n', message: 'm' }), 'tool_encrypt_push', { token: 't', aes_key: 'k', appid: C, timestamp: '1', nonce: 'n', message: 'm' }],
  ['toolDecryptData', () => api.toolDecryptData({ session_key: 's', iv: 'i', data: 'd', appid: null }), 'tool_decrypt_data', { session_key: 's', iv: 'i', data: 'd', appid: null }],
  ['toolSignRawData', () => api.toolSignRawData({ session_key: 's', raw_data: 'r' }), 'tool_sign_raw_data', { session_key: 's', raw_data: 'r' }],
  ['toolSignSession', () => api.toolSignSession({ session_key: 's', message: 'm' }), 'tool_sign_session', { session_key: 's', message: 'm' }],
  ['qr', () => api.qr({ text: 'x', size: 320, margin: 4, ec: 'M', format: 'svg' }), 'qr', { text: 'x', size: 320, margin: 4, ec: 'M', format: 'svg' }],
  ['errcodeExplain', () => api.errcodeExplain({ errcode: 40013, errmsg: null }), 'errcode_explain', { errcode: 40013, errmsg: null }],
  ['quotaGet', () => api.quotaGet({ appid: A, cgi_path: '/cgi-bin/x', component_appid: null }), 'quota_get', { appid: A, cgi_path: '/cgi-bin/x', component_appid: null }],
  ['quotaClear', () => api.quotaClear({ appid: A, confirmed: true, component_appid: C, by_secret: true }), 'quota_clear', { appid: A, confirmed: true, component_appid: C, by_secret: true }],
  ['ridLookup', () => api.ridLookup({ rid: 'a-b-c', appid: A, component_appid: null }), 'rid_lookup', { rid: 'a-b-c', appid: A, component_appid: null }],
  ['authorizerFetchMissing', () => api.authorizerFetchMissing({ component_appid: C, concurrency: 4 }), 'authorizer_fetch_missing', { component_appid: C, concurrency: 4 }],
  ['merchantNotesSet', () => api.merchantNotesSet({ component_appid: C, appid: A, notes: 'n', tags: ['vip'] }), 'merchant_notes_set', { component_appid: C, appid: A, notes: 'n', tags: ['vip'] }],
  ['meter', () => api.meter({ appid: A, month: '2026-12' }), 'meter', { appid: A, month: '2026-12' }],
  ['meterSetPrices', () => api.meterSetPrices({ fast_yuan: 0.03, realtime_yuan: 0.04 }), 'meter_set_prices', { fast_yuan: 0.03, realtime_yuan: 0.04 }],
  ['meterComponent', () => api.meterComponent({ appid: A }), 'meter_component', { appid: A }],
  ['meterSetComponent', () => api.meterSetComponent({ appid: A, component: 'realtime' }), 'meter_set_component', { appid: A, component: 'realtime' }],
  ['callLog', () => api.callLog({ account: null, endpoint: null, errors_only: true, since_ms: null, until_ms: null, limit: 200, before_id: null }), 'call_log', { account: null, endpoint: null, errors_only: true, since_ms: null, until_ms: null, limit: 200, before_id: null }],
  ['callLogEntry', () => api.callLogEntry({ id: 3 }), 'call_log_entry', { id: 3 }],
  ['inboxList', () => api.inboxList({ component_appid: 'wx0123456789abcdef', authorizer_appid: null, info_type: null, errors: true, limit: 50 }), 'inbox_list', { component_appid: 'wx0123456789abcdef', authorizer_appid: null, info_type: null, errors: true, limit: 50 }],
  ['inboxApply', () => api.inboxApply({ id: 7 }), 'inbox_apply', { id: 7 }],
  ['exportData', () => api.exportData({ with_secrets: false, passphrase: null }), 'export', { with_secrets: false, passphrase: null }],
  ['importPreview', () => api.importPreview({ content_base64: 'e30=', passphrase: null, confirmed: false }), 'import_preview', { content_base64: 'e30=', passphrase: null, confirmed: false }],
  ['importData', () => api.importData({ content_base64: 'e30=', passphrase: 'p', confirmed: true }), 'import', { content_base64: 'e30=', passphrase: 'p', confirmed: true }],
  ['saveFile', () => api.saveFile({ path: '/tmp/x.png', content_base64: 'AA==' }), 'save_file', { path: '/tmp/x.png', content_base64: 'AA==' }],
  ['templateDrafts', () => api.templateDrafts({ component_appid: C, template_type: null }), 'template_drafts', { component_appid: C, template_type: null }],
  ['templateList', () => api.templateList({ component_appid: C, template_type: null }), 'template_list', { component_appid: C, template_type: null }],
  ['templateAdd', () => api.templateAdd({ component_appid: C, draft_id: 1, template_type: 0 }), 'template_add', { component_appid: C, draft_id: 1, template_type: 0 }],
  ['templateDelete', () => api.templateDelete({ component_appid: C, template_id: 2 }), 'template_delete', { component_appid: C, template_id: 2 }],
  ['codeCommit', () => api.codeCommit({ appid: A, component_appid: C, template_id: 2, user_version: '1.0.0', user_desc: 'first', ext_json: null, vars: {} }), 'code_commit', { appid: A, component_appid: C, template_id: 2, user_version: '1.0.0', user_desc: 'first', ext_json: null, vars: {} }],
  ['codeQr', () => api.codeQr({ appid: A, component_appid: C, path: null }), 'code_qr', { appid: A, component_appid: C, path: null }],
  ['testerBind', () => api.testerBind({ appid: A, component_appid: C, wechat_id: 'zhang_san', userstr: null }), 'tester_bind', { appid: A, component_appid: C, wechat_id: 'zhang_san', userstr: null }],
  ['testerUnbind', () => api.testerUnbind({ appid: A, component_appid: C, wechat_id: null, userstr: 'u1' }), 'tester_unbind', { appid: A, component_appid: C, wechat_id: null, userstr: 'u1' }],
  ['testerList', () => api.testerList({ appid: A, component_appid: C }), 'tester_list', { appid: A, component_appid: C }],
  ['domainGet', () => api.domainGet({ appid: A, component_appid: C }), 'domain_get', { appid: A, component_appid: C }],
  ['domainSet', () => api.domainSet({ appid: A, component_appid: C, action: 'set' as const, requestdomain: ['https://api.example.com'], wsrequestdomain: [], uploaddomain: [], downloaddomain: [], udpdomain: [], tcpdomain: [], directly: false }), 'domain_set', { appid: A, component_appid: C, action: 'set' as const, requestdomain: ['https://api.example.com'], wsrequestdomain: [], uploaddomain: [], downloaddomain: [], udpdomain: [], tcpdomain: [], directly: false }],
  ['webviewGet', () => api.webviewGet({ appid: A, component_appid: C }), 'webview_get', { appid: A, component_appid: C }],
  ['webviewSet', () => api.webviewSet({ appid: A, component_appid: C, action: 'set' as const, webviewdomain: ['https://h5.example.com'], directly: false }), 'webview_set', { appid: A, component_appid: C, action: 'set' as const, webviewdomain: ['https://h5.example.com'], directly: false }],
  ['privacyGet', () => api.privacyGet({ appid: A, component_appid: C, privacy_ver: null }), 'privacy_get', { appid: A, component_appid: C, privacy_ver: null }],
  ['privacySet', () => api.privacySet({ appid: A, component_appid: C, setting: { privacy_ver: 2, owner_setting: { notice_method: 'popup' }, setting_list: [] } }), 'privacy_set', { appid: A, component_appid: C, setting: { privacy_ver: 2, owner_setting: { notice_method: 'popup' }, setting_list: [] } }],
  ['auditCheck', () => api.auditCheck({ appid: A, component_appid: C, item_list: [], domains: null, privacy: null }), 'audit_check', { appid: A, component_appid: C, item_list: [], domains: null, privacy: null }],
  ['auditSubmit', () => api.auditSubmit({ appid: A, component_appid: C, item_list: [], preview_info: null, version_desc: null, feedback_info: null, feedback_stuff: null, ugc_declare: null, privacy_api_not_use: null, order_path: null }), 'audit_submit', { appid: A, component_appid: C, item_list: [], preview_info: null, version_desc: null, feedback_info: null, feedback_stuff: null, ugc_declare: null, privacy_api_not_use: null, order_path: null }],
  ['auditStatus', () => api.auditStatus({ appid: A, component_appid: C, auditid: null }), 'audit_status', { appid: A, component_appid: C, auditid: null }],
  ['auditScreenshots', () => api.auditScreenshots({ appid: A, component_appid: C, media_ids: ['m1', 'm2'] }), 'audit_screenshots', { appid: A, component_appid: C, media_ids: ['m1', 'm2'] }],
  ['auditUndo', () => api.auditUndo({ appid: A, component_appid: C, confirmed: false }), 'audit_undo', { appid: A, component_appid: C, confirmed: false }],
  ['auditSpeedup', () => api.auditSpeedup({ appid: A, component_appid: C, auditid: null }), 'audit_speedup', { appid: A, component_appid: C, auditid: null }],
  ['auditQuota', () => api.auditQuota({ appid: A, component_appid: C }), 'audit_quota', { appid: A, component_appid: C }],
  ['releasePublish', () => api.releasePublish({ appid: A, component_appid: C, confirmed: true }), 'release_publish', { appid: A, component_appid: C, confirmed: true }],
  ['releaseRevert', () => api.releaseRevert({ appid: A, component_appid: C, app_version: null, confirmed: false }), 'release_revert', { appid: A, component_appid: C, app_version: null, confirmed: false }],
  ['releaseStatus', () => api.releaseStatus({ appid: A, component_appid: C }), 'release_status', { appid: A, component_appid: C }],
  ['releaseGray', () => api.releaseGray({ appid: A, component_appid: C, percent: 10, support_experiencer_first: false, support_debuger_first: false, confirmed: false }), 'release_gray', { appid: A, component_appid: C, percent: 10, support_experiencer_first: false, support_debuger_first: false, confirmed: false }],
  ['releaseVisit', () => api.releaseVisit({ appid: A, component_appid: C, status: 'close' as const, confirmed: false }), 'release_visit', { appid: A, component_appid: C, status: 'close' as const, confirmed: false }],
  ['versionState', () => api.versionState({ appid: A, component_appid: C }), 'version_state', { appid: A, component_appid: C }],
  ['versionStates', () => api.versionStates({ component_appid: C, appids: ['wx0123456789abcdef'] }), 'version_states', { component_appid: C, appids: ['wx0123456789abcdef'] }],
  ['platformDomains', () => api.platformDomains({ component_appid: C, kind: 'server' as const, action: 'get' as const, domains: [], published_too: false, confirmed: false }), 'platform_domains', { component_appid: C, kind: 'server' as const, action: 'get' as const, domains: [], published_too: false, confirmed: false }],
  ['sandboxAddDraft', () => api.sandboxAddDraft({ component_appid: C, user_version: null, user_desc: null, privacy_keys: null }), 'sandbox_add_draft', { component_appid: C, user_version: null, user_desc: null, privacy_keys: null }],
  ['sandboxNextAudit', () => api.sandboxNextAudit({ appid: A, outcome: 'fail' as const, duration_secs: 5, reason: null }), 'sandbox_next_audit', { appid: A, outcome: 'fail' as const, duration_secs: 5, reason: null }],
  ['sandboxScan', () => api.sandboxScan({ appid: A, wechat_id: 'zhang_san' }), 'sandbox_scan', { appid: A, wechat_id: 'zhang_san' }],
  ['sandboxDeliverPushes', () => api.sandboxDeliverPushes({ component_appid: C }), 'sandbox_deliver_pushes', { component_appid: C }],
  ['sandboxSeedMerchants', () => api.sandboxSeedMerchants({ component_appid: C, count: 20, audit_secs: 3 }), 'sandbox_seed_merchants', { component_appid: C, count: 20, audit_secs: 3 }],
  ['profileSet', () => api.profileSet({ component_appid: C, name: 'shop', template_id: 2, user_version: null, user_desc: null, ext_json: null, vars_csv: null, domains: null, privacy: null, audit: null }), 'profile_set', { component_appid: C, name: 'shop', template_id: 2, user_version: null, user_desc: null, ext_json: null, vars_csv: null, domains: null, privacy: null, audit: null }],
  ['profileList', () => api.profileList({ component_appid: C }), 'profile_list', { component_appid: C }],
  ['profileDelete', () => api.profileDelete({ component_appid: C, name: 'shop' }), 'profile_delete', { component_appid: C, name: 'shop' }],
  ['profileApply', () => api.profileApply({ component_appid: C, name: 'shop', appids: [], all: true, concurrency: null }), 'profile_apply', { component_appid: C, name: 'shop', appids: [], all: true, concurrency: null }],
  ['batchRun', () => api.batchRun({ component_appid: C, profile: 'shop', appids: [A], all: false, steps: ['commit'], concurrency: 4, check: true, confirmed: false }), 'batch_run', { component_appid: C, profile: 'shop', appids: [A], all: false, steps: ['commit'], concurrency: 4, check: true, confirmed: false }],
  ['batchStatus', () => api.batchStatus({ batch_id: 'b1' }), 'batch_status', { batch_id: 'b1' }],
  ['batchResume', () => api.batchResume({ batch_id: 'b1' }), 'batch_resume', { batch_id: 'b1' }],
  ['batchCancel', () => api.batchCancel({ batch_id: 'b1' }), 'batch_cancel', { batch_id: 'b1' }],
  ['batchList', () => api.batchList({ component_appid: C }), 'batch_list', { component_appid: C }],
  ['batchSettings', () => api.batchSettings(), 'batch_settings', {}],
  ['callNamed', () => api.callNamed('audit_undo', { appid: A, component_appid: C, confirmed: true }), 'audit_undo', { appid: A, component_appid: C, confirmed: true }],
]

/** The generated table: op name → args type name. */
function generatedOps(): Map<string, string> {
  const text = readUi('src/api/generated/ops.ts')
  const out = new Map<string, string>()
  for (const m of text.matchAll(/^\s+(\w+): \{ args: (\w+); result: [^}]+\};$/gm)) out.set(m[1]!, m[2]!)
  return out
}

/** Field names of a generated object type, split into required and optional (`?:`). */
function generatedFields(typeName: string): { required: string[]; optional: string[] } {
  const text = readUi(`src/api/generated/${typeName}.ts`)
  const required: string[] = []
  const optional: string[] = []
  for (const m of text.matchAll(/^\s*(\w+)(\??): /gm)) (m[2] ? optional : required).push(m[1]!)
  return { required, optional }
}

describe('typed wrappers', () => {
  let saved: Backend
  let rec: RecordingBackend
  beforeEach(() => {
    saved = getBackend()
    rec = new RecordingBackend()
    setBackend(rec)
  })
  afterEach(() => setBackend(saved))

  it.each(cases)('%s calls its op with the given arguments', async (_name, run, op, args) => {
    await run()
    expect(rec.calls).toEqual([{ op, args }])
  })

  it('covers every exported wrapper', () => {
    const notWrappers = new Set(['setBackend', 'getBackend', 'createBackend', 'inTauri', 'ApiError', 'HttpBackend', 'TauriBackend'])
    const exported = Object.entries(api)
      .filter(([k, v]) => typeof v === 'function' && !notWrappers.has(k))
      .map(([k]) => k)
      .sort()
    expect(exported).toEqual(cases.map((c) => c[0]).sort())
  })

  it('every op the wrappers call exists in the core table (generated ops.ts)', async () => {
    for (const [, run] of cases) {
      await run()
    }
    const called = new Set(rec.calls.map((c) => c.op))
    expect(called.size).toBeGreaterThan(40)
    const table = generatedOps()
    expect(table.size).toBeGreaterThan(40)
    for (const op of called) expect(table.has(op), op).toBe(true)
  })

  it.each(cases)('%s sends the fields of the generated args type', (_name, _run, op, args) => {
    const typeName = generatedOps().get(op)
    expect(typeName, op).toBeDefined()
    const { required, optional } = generatedFields(typeName!)
    const sent = Object.keys(args as object).sort()
    for (const k of sent) expect([...required, ...optional], `${op}.${k}`).toContain(k)
    for (const k of required) expect(sent, `${op} lacks ${k}`).toContain(k)
  })
})

describe('the UI op table is the generated one', () => {
  it('re-exports src/api/generated/ops.ts instead of copying it', () => {
    const text = readUi('src/api/ops.ts')
    expect(text).toContain("from './generated/ops'")
    expect(text).not.toMatch(/^\s+\w+: \{ args:/m)
    const entries = [...readUi('src/api/generated/ops.ts').matchAll(/^\s+\w+: \{ args: \w+; result: [^}]+\};$/gm)]
    expect(entries.length).toBeGreaterThan(40)
  })
})

describe('createBackend', () => {
  afterEach(() => {
    delete window.__TAURI_INTERNALS__
  })
  it('uses HTTP in a browser', () => {
    expect(createBackend().constructor.name).toBe('HttpBackend')
  })
  it('uses Tauri IPC inside the Tauri webview', () => {
    window.__TAURI_INTERNALS__ = {}
    expect(createBackend().constructor.name).toBe('TauriBackend')
  })
})
