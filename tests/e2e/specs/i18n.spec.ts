// The language switch changes every visible string. The spec tours the main
// screens in English, switches to 简体中文 from the header, and tours them
// again; on each screen it takes the visible UI text (data — AppIDs, tokens,
// URLs, JSON, the accounts' names — left out) and checks that
//   - in zh-CN the screen is Chinese and no English UI string of that screen
//     (collected from the English tour) is left, nor any English word other
//     than the product and protocol names WeChat itself uses;
//   - in English there is no Chinese except the few names of WeChat's
//     Chinese-only console that the help text quotes.
// On the way it saves a screenshot of every screen in both languages, and the
// curated README set (tests/e2e/screenshots/{en,zh-CN}/, see helpers.readmeShot).
import { expect, test, type Page } from "@playwright/test";
import { authorizeMerchant, byRole, DOCS_EXAMPLE, ensureTicket, go, openDemoApp, openDemoComponent, readmeShot, setLanguage, settle, shot, startSandbox, type Demo, type Lang } from "../helpers";

/**
 * English words the Chinese UI keeps on purpose: names of WeChat products,
 * protocol fields and formats that operators see in WeChat's own docs and
 * consoles exactly so.
 */
const KEPT_IN_ZH = new Set(
  [
    "wxdesk",
    "receive",
    "Redis",
    "TTL",
    "HTTPS",
    "CA",
    "PEM",
    "BEGIN",
    "CERTIFICATE",
    "rediss",
    "redis-ca",
    "AppID",
    "AppSecret",
    "EncodingAESKey",
    "Token",
    "token",
    "ticket",
    "openid",
    "unionid",
    "session_key",
    "access_token",
    "component_access_token",
    "authorizer_access_token",
    "authorizer_refresh_token",
    "component_verify_ticket",
    "pre_auth_code",
    "auth_code",
    "auth_type",
    "biz_appid",
    "redirect_uri",
    "js_code",
    "code",
    "iv",
    "encryptedData",
    "errcode",
    "errmsg",
    "rid",
    "stable_token",
    "cgi-bin",
    "PC",
    "H5",
    "QR",
    "PNG",
    "SVG",
    "JSON",
    "XML",
    "base64",
    "HTTP",
    "URL",
    "API",
    "ID",
    "IP",
    "WeChat",
    "stable",
    "Key",
    "POST",
    "GET",
    "English",
    "EN",
  ].map((w) => w.toLowerCase()),
);

/** Chinese the English UI quotes on purpose: menu names of WeChat's Chinese-only consoles. */
const KEPT_IN_EN = ["开发管理", "开发设置", "授权发起页域名", "授权事件接收URL", "消息与事件接收URL", "消息校验Token", "消息加解密Key", "个体户", "简体中文", "中文"];

interface ScreenText {
  screen: string;
  texts: string[];
}

/** The visible UI text of the page: text nodes outside code/data, plus placeholders. */
async function uiText(page: Page, data: string[]): Promise<string[]> {
  await settle(page);
  const raw = await page.evaluate(() => {
    const out: string[] = [];
    // Data: code and monospace text, the catalogue's meanings of an errcode,
    // which the lookup shows in both languages side by side, and what the UI
    // marks as data (`data-i18n-skip`: an account's name as its owner chose
    // it, in whatever language — a real merchant's nickname is Chinese). Only
    // marked elements are skipped: labels and help around them are checked.
    const DATA =
      'code, pre, .mono, script, style, svg, .n-input__input-el, .n-input__textarea-el, [data-testid="tool-errcode-result"] .plain-desc__content, [data-i18n-skip]';
    const visible = (el: Element) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = (n.nodeValue ?? "").replace(/\s+/g, " ").trim();
      const el = n.parentElement;
      if (!t || !el || !visible(el)) continue;
      // An input's placeholder is UI text even in a monospace input.
      if (el.closest(".n-input__placeholder, .n-base-selection-placeholder")) {
        out.push(t);
        continue;
      }
      if (el.closest(DATA)) continue;
      out.push(t);
    }
    for (const el of Array.from(document.querySelectorAll("input[placeholder], textarea[placeholder]"))) {
      const p = (el as HTMLInputElement).placeholder.trim();
      if (p && visible(el) && !(el as HTMLInputElement).value) out.push(p);
    }
    return out;
  });
  // Strip data that is not in a code element: the accounts' names, dates, numbers, addresses.
  return raw
    .map((t) => {
      let s = t;
      for (const d of data) if (d) s = s.split(d).join(" ");
      return s
        .replace(/https?:\/\/\S+/g, " ")
        .replace(/\bwx[0-9a-f]{16}\b/g, " ")
        .replace(/\d{1,4}[/-]\d{1,2}[/-]\d{1,4},?( \d{1,2}:\d{2}(:\d{2})?)?/g, " ")
        .replace(/\s+/g, " ")
        .trim();
    })
    .filter((t) => /[A-Za-z\u4e00-\u9fff]/.test(t));
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** A format example (a query string or an XML body with elided values), not prose. */
const FORMAT_EXAMPLE = /=…|<\/?[A-Za-z]+>/;

/** A lowercase API path of two or more segments (sns/component/jscode2session): one protocol identifier. */
const PROTOCOL_PATH = /^[a-z0-9_]+(\/[a-z0-9_]+)+$/;
/** A dotted name (watermark.appid, mp.weixin.qq.com): a protocol field or a host, not prose. */
const DOTTED = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

/**
 * English words left in a zh-CN text, beyond the kept product / protocol
 * names. snake_case words and API paths holding one are protocol identifiers
 * (api_query_auth, msg_signature, clear_quota/v2, …) and stay as they are.
 */
function englishWords(text: string): string[] {
  if (FORMAT_EXAMPLE.test(text)) return [];
  // An API path naming a snake_case call (clear_quota/v2) is one protocol identifier.
  return (text.match(/[A-Za-z][A-Za-z0-9_./-]*[A-Za-z0-9]|[A-Za-z]/g) ?? [])
    .flatMap((w) => (w.includes("_") || PROTOCOL_PATH.test(w) ? [w] : w.split("/")))
    .map((w) => w.replace(/[.-]+$/, ""))
    .filter(
      (w) =>
        w.length >= 2 &&
        !w.includes("_") &&
        !PROTOCOL_PATH.test(w) &&
        !DOTTED.test(w) &&
        !KEPT_IN_ZH.has(w.toLowerCase()) &&
        !/^(wx|gh_)/.test(w),
    );
}

/** Accounts' names as they appear on screen (data, whatever the language). */
async function collectNames(page: Page, into: Set<string>): Promise<void> {
  const sel =
    '[data-testid^="app-link-"], [data-testid^="component-link-"], [data-testid="authorizer-name"], [data-testid="authorizers-table"] td:first-child, [data-testid="dashboard-components"] td:first-child a';
  for (const t of await page.locator(sel).allInnerTexts()) {
    const v = t.trim();
    if (v) into.add(v);
  }
}

/**
 * Visits every main screen in the current language, calling `visit` on each
 * (the screen is loaded and settled).
 */
async function tour(page: Page, demo: Demo, names: Set<string>, visit: (screen: string) => Promise<void>) {
  await go(page, "dashboard");
  await expect(page.getByTestId("stat-apps")).toBeVisible();
  await visit("dashboard");

  await go(page, "apps");
  await expect(page.getByTestId(`app-link-${demo.appAppid}`)).toBeVisible();
  await visit("apps");

  await page.getByTestId(`app-open-${demo.appAppid}`).click();
  await page.getByTestId("token-get").click();
  await expect(page.getByTestId("token-result")).toBeVisible();
  await expect(page.getByTestId("token-countdown")).toHaveAttribute("data-level", "ok");
  await visit("app-token");

  await go(page, "components");
  await expect(page.getByTestId(`component-link-${demo.componentAppid}`)).toBeVisible();
  await visit("components");

  await page.getByTestId(`component-open-${demo.componentAppid}`).click();
  await expect(page.getByTestId("ticket-age")).toHaveAttribute("data-valid", "true");
  await visit("component");

  await page.getByTestId("component-authorize").click();
  await expect(page.getByTestId("wizard-options")).toBeVisible();
  await visit("authorize-options");
  await page.getByTestId("wizard-kind-h5").click();
  await page.getByTestId("wizard-create").click();
  await expect(page.getByTestId("qr-image")).toBeVisible();
  await expect(page.getByTestId("wizard-countdown")).toHaveAttribute("data-level", "ok");
  await visit("authorize-wizard");

  await go(page, "authorizers");
  await expect(page.locator('[data-testid^="authorizer-row-"]').first()).toBeVisible();
  // Names wrap between words, never one letter per line (the fixed columns left it no room).
  const nameCell = page.locator('[data-testid^="authorizer-row-"]').first().locator("td").first();
  expect((await nameCell.boundingBox())!.width, "the name column is wide enough to read").toBeGreaterThanOrEqual(150);
  await visit("authorizers");

  await page.locator('[data-testid^="authorizer-row-"]').first().click();
  await expect(page.getByTestId("authorizer-card")).toBeVisible();
  // The raw profile WeChat returned names the account and its registered
  // entity: both are data, shown as they are in either language.
  await page.locator(".n-collapse-item__header").first().click();
  await expect(page.getByTestId("authorizer-info-json")).toBeVisible();
  type Profile = { nick_name?: string; principal_name?: string };
  const info = JSON.parse(await page.getByTestId("authorizer-info-json").innerText()) as Profile & { authorizer_info?: Profile };
  const profile = info.authorizer_info ?? info;
  expect(profile.principal_name, "the profile names the registered entity").toBeTruthy();
  for (const n of [profile.nick_name, profile.principal_name]) if (n) names.add(n);
  await visit("authorizer");

  await go(page, "fastregister");
  await expect(byRole(page, "tab", "fastregister.kinds.enterprise")).toBeVisible();
  await visit("fastregister");

  // Tools: the data decrypter with WeChat's own published example.
  await go(page, "tools");
  await byRole(page, "tab", "tools.tabs.data").click();
  await page.getByTestId("tool-data-session-key").fill(DOCS_EXAMPLE.session_key);
  await page.getByTestId("tool-data-iv").fill(DOCS_EXAMPLE.iv);
  await page.getByTestId("tool-data-data").fill(DOCS_EXAMPLE.encrypted_data);
  await page.getByTestId("tool-data-appid").fill(DOCS_EXAMPLE.appid);
  await page.getByTestId("tool-data-submit").click();
  await expect(page.getByTestId("tool-data-json")).toContainText(DOCS_EXAMPLE.openId);
  await visit("tools");

  await go(page, "calls");
  await expect(page.locator('[data-testid^="call-row-"]').first()).toBeVisible();
  await visit("call-log");

  await go(page, "settings");
  await expect(page.getByTestId("settings-sandbox")).toBeVisible();
  await visit("settings");
}

const README_SCREENS = new Set(["dashboard", "app-token", "authorize-wizard", "authorizers", "call-log", "tools"]);

test("the language switch changes every visible string (en ⇄ zh-CN)", async ({ page, context }) => {
  test.setTimeout(180_000);
  const demo = await startSandbox(page, "en");
  // Something on every screen: the app, the platform with its ticket, one merchant.
  await openDemoApp(page, demo);
  await openDemoComponent(page, demo);
  await ensureTicket(page);
  await authorizeMerchant(page, context, "pc");

  const names = new Set<string>();
  const english: ScreenText[] = [];
  const chinese: ScreenText[] = [];

  const visitIn = (lang: Lang, into: ScreenText[]) => async (screen: string) => {
    await collectNames(page, names);
    await shot(page, `${lang}-${screen}`);
    if (README_SCREENS.has(screen)) await readmeShot(page, lang, screen);
    into.push({ screen, texts: await uiText(page, [...names]) });
  };

  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await tour(page, demo, names, visitIn("en", english));

  // Switch with the header button, as an operator would.
  await expect(page.getByTestId("header-language")).toHaveText("中文");
  await page.getByTestId("header-language").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByTestId("header-language")).toHaveText("EN");
  await tour(page, demo, names, visitIn("zh-CN", chinese));

  // ------------------------------------------------------------ English: no Chinese
  const enProblems: string[] = [];
  for (const { screen, texts } of english) {
    for (const t of texts) {
      let s = t;
      for (const k of KEPT_IN_EN) s = s.split(k).join("");
      for (const n of names) s = s.split(n).join("");
      if (CJK.test(s)) enProblems.push(`${screen}: ${t}`);
    }
  }
  expect(enProblems, "Chinese in the English UI").toEqual([]);

  // ------------------------------------------------------------ Chinese: no English UI string left
  const zhProblems: string[] = [];
  for (const { screen, texts } of chinese) {
    const en = english.find((e) => e.screen === screen);
    expect(en, `the English tour saw ${screen}`).toBeTruthy();
    const joined = texts.join("\n");
    expect(CJK.test(joined), `${screen} in zh-CN shows Chinese`).toBe(true);
    // 1. No string of the English screen appears unchanged (beyond kept names).
    const zhSet = new Set(texts);
    for (const t of new Set(en!.texts)) {
      if (zhSet.has(t) && englishWords(t).length > 0) zhProblems.push(`${screen}: unchanged "${t}"`);
    }
    // 2. No English word at all beyond the kept product / protocol names.
    for (const t of texts) {
      const words = englishWords(t);
      if (words.length) zhProblems.push(`${screen}: "${t}" has ${words.join(", ")}`);
    }
  }
  expect(zhProblems, "English left in the zh-CN UI").toEqual([]);

  // Back to English from Settings (for the specs after this one).
  await go(page, "settings");
  await page.getByTestId("settings-language-en").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("nav-settings")).toHaveText("Settings");
});

// The catalogue's fix ("What to do") is in the UI language too.
test("an errcode's fix is shown in Chinese in zh-CN", async ({ page }) => {
  await startSandbox(page, "zh-CN");
  await go(page, "tools");
  await byRole(page, "tab", "tools.tabs.errcode").click();
  await page.getByTestId("tool-errcode-input").fill("61009");
  await page.getByTestId("tool-errcode-submit").click();
  await expect(page.getByTestId("tool-errcode-hint")).toHaveText(/[\u4e00-\u9fff]/);
  await setLanguage(page, "en");
});

// Confirmations and errors on every screen that has them, in 中文: the
// delete confirmations, WeChat's errors, the server's validation details and
// the add dialogs' own checks. Each is opened or triggered, then the whole
// page (dialog included) is checked word by word as above, and validation
// errors must name the form's label, never the wire field name.
test("confirmations and errors are Chinese in zh-CN, naming the form's labels", async ({ page, context }) => {
  test.setTimeout(180_000);
  const demo = await startSandbox(page, "en");
  await openDemoApp(page, demo);
  await openDemoComponent(page, demo);
  await ensureTicket(page);
  await go(page, "settings");
  await setLanguage(page, "zh-CN");

  const problems: string[] = [];
  const names = new Set<string>();
  /** Checks the page; `alert` is the validation error whose text must name labels, not wire fields. */
  const check = async (screen: string, alert?: string) => {
    await collectNames(page, names);
    await shot(page, `zh-CN-error-${screen}`);
    const texts = await uiText(page, [...names]);
    for (const t of texts) {
      const words = englishWords(t);
      if (words.length) problems.push(`${screen}: "${t}" has ${words.join(", ")}`);
    }
    if (alert) {
      const shown = await page.getByTestId(alert).innerText();
      // session_key and iv are their own labels; these wire names never are.
      for (const wire of ["cgi_path", "encrypted_data", "aes_key", "redirect_uri"]) {
        if (shown.includes(wire)) problems.push(`${screen}: "${shown}" names the wire field ${wire}`);
      }
    }
  };

  // The accounts' names are data (collected in English, where they show as links).
  await go(page, "apps");
  await collectNames(page, names);
  await go(page, "components");
  await collectNames(page, names);

  // Delete confirmations (the core's own, translated).
  for (const [section, id] of [
    ["apps", `app-remove-${demo.appAppid}`],
    ["components", `component-remove-${demo.componentAppid}`],
  ] as const) {
    await go(page, section);
    await page.getByTestId(id).click();
    await expect(page.getByTestId("confirm-dialog")).toBeVisible();
    await expect(page.getByTestId("confirm-dialog")).toContainText(/[\u4e00-\u9fff]/);
    await check(`${section}-remove`);
    await page.getByTestId("confirm-cancel").click();
    await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);
  }

  // The add dialogs' own checks.
  await go(page, "apps");
  await page.getByTestId("apps-add").click();
  await page.getByTestId("app-form-appid").fill("wx12 45");
  await page.getByTestId("app-form-submit").click();
  await expect(page.locator('[data-testid="app-form"] .n-form-item-feedback--error').first()).toBeVisible();
  await check("add-app");
  await page.getByTestId("app-form-cancel").click();

  // WeChat's error (a bad login code) and the server's validation detail (bad base64).
  await go(page, "apps");
  await page.getByTestId(`app-open-${demo.appAppid}`).click();
  await byRole(page, "tab", "app.tabs.login").click();
  await page.getByTestId("login-code").fill("not-a-real-code");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toBeVisible();
  await check("app-login-wechat-error");
  await page.getByTestId("login-sandbox-code").click();
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-saved")).toBeVisible();
  await byRole(page, "tab", "app.tabs.decrypt").click();
  await page.getByTestId("decrypt-iv").fill("%%%%");
  await page.getByTestId("decrypt-data").fill("%%%%");
  await page.getByTestId("decrypt-submit").click();
  await expect(page.getByTestId("decrypt-error")).toBeVisible();
  await check("app-decrypt-validation", "decrypt-error");
  await byRole(page, "tab", "app.tabs.quota").click();
  await page.getByTestId("quota-path").fill("/cgi-bin/does/not/exist");
  await page.getByTestId("quota-get").click();
  await expect(page.getByTestId("quota-error")).toBeVisible();
  await check("app-quota-error");

  // The tools' server-side checks.
  await go(page, "tools");
  await byRole(page, "tab", "tools.tabs.data").click();
  await page.getByTestId("tool-data-session-key").fill("%%%%");
  await page.getByTestId("tool-data-iv").fill("%%%%");
  await page.getByTestId("tool-data-data").fill("%%%%");
  await page.getByTestId("tool-data-submit").click();
  await expect(page.getByTestId("tool-data-error")).toBeVisible();
  await check("tools-data-validation", "tool-data-error");

  expect(problems, "English or wire field names in the zh-CN errors and confirmations").toEqual([]);
  await go(page, "settings");
  await setLanguage(page, "en");
  void context;
});
