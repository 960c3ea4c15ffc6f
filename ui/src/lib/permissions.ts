// Names of WeChat Open Platform permission sets (权限集, `func_info` ids), in
// both UI languages, so authorizers and the authorize wizard show what a
// merchant granted by name instead of a bare number. Unknown ids fall back
// to "permission set #id".

export interface PermissionName {
  zh: string
  en: string
}

export const PERMISSION_SETS: Readonly<Record<number, PermissionName>> = {
  1: { zh: '消息管理权限', en: 'Message management' },
  2: { zh: '用户管理权限', en: 'User management' },
  3: { zh: '帐号服务权限', en: 'Account services' },
  4: { zh: '网页服务权限', en: 'Web services' },
  5: { zh: '微信小店权限', en: 'WeChat store' },
  6: { zh: '微信多客服权限', en: 'Multi-agent customer service' },
  7: { zh: '群发与通知权限', en: 'Mass messages and notifications' },
  8: { zh: '微信卡券权限', en: 'Cards and offers' },
  9: { zh: '微信扫一扫权限', en: 'Scan' },
  10: { zh: '微信连WIFI权限', en: 'Wi-Fi' },
  11: { zh: '素材管理权限', en: 'Media management' },
  12: { zh: '微信摇周边权限', en: 'Shake nearby' },
  13: { zh: '微信门店权限', en: 'Stores' },
  14: { zh: '微信支付权限', en: 'WeChat Pay' },
  15: { zh: '自定义菜单权限', en: 'Custom menus' },
  17: { zh: '帐号管理权限（小程序）', en: 'Mini program account management' },
  18: { zh: '开发管理与数据分析权限（小程序）', en: 'Mini program development and analytics' },
  19: { zh: '客服消息管理权限（小程序）', en: 'Mini program customer service messages' },
  22: { zh: '城市服务权限', en: 'City services' },
  23: { zh: '广告管理权限', en: 'Ads management' },
  24: { zh: '开放平台帐号管理权限', en: 'Open platform account management' },
  25: { zh: '开放平台帐号管理权限（小程序）', en: 'Open platform account management (mini program)' },
  26: { zh: '微信电子发票权限', en: 'E-invoices' },
  27: { zh: '快速注册小程序权限', en: 'Fast mini program registration' },
  30: { zh: '小程序基本信息设置权限', en: 'Mini program basic settings' },
  31: { zh: '小程序认证权限', en: 'Mini program verification' },
  33: { zh: '小程序管理权限', en: 'Linked mini program management' },
  37: { zh: '附近地点权限（小程序）', en: 'Mini program nearby places' },
  40: { zh: '插件管理权限（小程序）', en: 'Mini program plugin management' },
  49: { zh: '云开发管理权限', en: 'Cloud development management' },
  52: { zh: '小程序直播权限', en: 'Mini program live streaming' },
}

/** Known permission-set ids, ascending. */
export const PERMISSION_SET_IDS: readonly number[] = Object.keys(PERMISSION_SETS)
  .map(Number)
  .sort((a, b) => a - b)

/** Whether `id` has a name. */
export function isKnownPermissionSet(id: number): boolean {
  return Object.prototype.hasOwnProperty.call(PERMISSION_SETS, id)
}

/** The name of a permission set in `lang` (`zh-CN` or `en`), with its id. */
export function permissionName(id: number, lang: string): string {
  const known = PERMISSION_SETS[id]
  if (!known) return lang === 'zh-CN' ? `权限集 #${id}` : `Permission set #${id}`
  return `${lang === 'zh-CN' ? known.zh : known.en} (#${id})`
}
