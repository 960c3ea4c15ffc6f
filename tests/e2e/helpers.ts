// Steps shared by the browser specs. Every step drives the UI the way a
// newcomer would (navigation, buttons, forms); nothing here calls the desk's
// API. Where a step must know whether something already exists (the specs
// share one `wxdesk serve` and may run in any order), it reads the answer the
// UI itself received (`page.waitForResponse` on the operation the screen
// loads) instead of asking the server separately.
import { expect, type BrowserContext, type Locator, type Page, type Response } from "@playwright/test";
import { createCipheriv, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import en from "../../ui/src/i18n/en";
import zhCN from "../../ui/src/i18n/zh-CN";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where every screenshot of a run goes (a CI artifact, never committed). */
export const ARTIFACT_SHOTS = resolve(HERE, "../artifacts/screenshots");

/** The curated README screenshots (committed); refreshed only on request. */
export const README_SHOTS = resolve(HERE, "screenshots");

/** Set to 1 to rewrite the committed README screenshots from this run. */
export const UPDATE_README_SHOTS = process.env.WXDESK_E2E_UPDATE_SCREENSHOTS === "1";

/**
 * The open-data decryption example of WeChat's docs (also in wechatpy's and
 * WxJava's tests): a known answer for the data decrypter.
 */
export const DOCS_EXAMPLE = {
  appid: "wx4f4bc4dec97d474b",
  session_key: "tiihtNczf5v6AKRyjwEUhQ==",
  iv: "r7BXXKkLb8qrSNn05n0qiA==",
  encrypted_data:
    "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==",
  openId: "oGZUI0egBJY1zhBYw2KhdUfwVJJE",
};

/** The UI languages. */
export type Lang = "en" | "zh-CN";

/** The sandbox demo accounts, as the Settings screen shows them. */
export interface Demo {
  sandboxBase: string;
  appAppid: string;
  appSecret: string;
  componentAppid: string;
  componentSecret: string;
  componentToken: string;
  componentAesKey: string;
  authorizerAppid: string;
}

/** The main screens, by nav id. */
export type Section = "dashboard" | "apps" | "components" | "authorizers" | "fastregister" | "tools" | "calls" | "settings";

const SECTION_HASH: Record<Section, string> = {
  dashboard: "#/",
  apps: "#/apps",
  components: "#/components",
  authorizers: "#/authorizers",
  fastregister: "#/fastregister",
  tools: "#/tools",
  calls: "#/calls",
  settings: "#/settings",
};

/** The operation each list screen loads first (to know when it has loaded). */
const SECTION_OP: Partial<Record<Section, string>> = {
  dashboard: "dashboard",
  apps: "app_list",
  components: "component_list",
  authorizers: "authorizer_page",
  calls: "call_log",
  settings: "sandbox_status",
};

/** The address of the desk, without a token (set by global-setup). */
export function deskUrl(): string {
  const base = process.env.WXDESK_E2E_BASE;
  if (!base) throw new Error("WXDESK_E2E_BASE is not set: run the specs through playwright.config.ts (global-setup starts wxdesk serve)");
  return `${base}/`;
}

/**
 * The session cookie global-setup got by opening the printed URL once (that
 * URL logs in one browser, once; a second use answers 401).
 */
function sessionCookies(): Parameters<BrowserContext["addCookies"]>[0] {
  const raw = process.env.WXDESK_E2E_COOKIES;
  if (!raw) throw new Error("WXDESK_E2E_COOKIES is not set: run the specs through playwright.config.ts (global-setup logs in)");
  return JSON.parse(raw);
}

/** A promise for the UI's next call of operation `op`. */
export function opResponse(page: Page, op: string): Promise<Response> {
  return page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/api/op/${op}`);
}

/** Opens the desk with the session of global-setup's login and waits for the frame. */
export async function openDesk(page: Page): Promise<void> {
  await page.context().addCookies(sessionCookies());
  await page.goto(deskUrl());
  await expect(page.getByTestId("nav")).toBeVisible();
  await expect(page.getByTestId("core-unreachable")).toHaveCount(0);
}

/**
 * Goes to a main screen through the side navigation and waits until it has
 * loaded. Returns the JSON the screen loaded (when it loads a list).
 */
export async function go(page: Page, section: Section): Promise<unknown> {
  const op = SECTION_OP[section];
  if (new URL(page.url()).hash === SECTION_HASH[section]) {
    // Already there: leave first, so the screen mounts (and loads) again.
    const other: Section = section === "tools" ? "fastregister" : "tools";
    await page.getByTestId(`nav-${other}`).click();
    await expect(page).toHaveURL(new RegExp(`${escapeRe(SECTION_HASH[other])}$`));
  }
  const loaded = op ? opResponse(page, op) : null;
  await page.getByTestId(`nav-${section}`).click();
  await expect(page).toHaveURL(new RegExp(`${escapeRe(SECTION_HASH[section])}(\\?.*)?$`));
  if (!loaded) return null;
  const res = await loaded;
  return res.ok() ? res.json() : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Chooses the UI language and the light theme in Settings (both idempotent). */
export async function setLanguage(page: Page, lang: Lang): Promise<void> {
  if (!(await page.getByTestId("settings-language").isVisible())) await go(page, "settings");
  await page.getByTestId(lang === "en" ? "settings-language-en" : "settings-language-zh").click();
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

/** Chooses a theme in Settings. */
export async function setTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  if (!(await page.getByTestId("settings-theme").isVisible())) await go(page, "settings");
  await page.getByTestId(`settings-theme-${theme}`).click();
  await expect(page.getByTestId(`theme-${theme}`)).toBeVisible();
}

/**
 * The first steps of every spec: open the desk, then Settings → "Use the
 * offline sandbox" (idempotent: it starts the embedded sandbox once and
 * switches the environment to it). Leaves the UI in English with the light
 * theme (a spec that failed half-way may have left it otherwise) and returns
 * the demo accounts read from the Settings screen (secrets via Reveal).
 */
export async function startSandbox(page: Page, lang: Lang = "en"): Promise<Demo> {
  await openDesk(page);
  await go(page, "settings");
  await setLanguage(page, lang);
  await setTheme(page, "light");
  await byRole(page, "button", "sandbox.start").click();
  await expect(page.getByTestId("sandbox-demo")).toBeVisible();
  await expect(page.getByTestId("settings-sandbox-running")).toBeVisible();
  await expect(page.getByTestId("env-badge")).toBeVisible();
  await expect(page.getByTestId("env-badge")).toHaveAttribute("data-env", "sandbox");
  await expect(page.getByTestId("settings-env-badge")).toBeVisible();

  const running = await page.getByTestId("settings-sandbox-running").innerText();
  const base = running.match(/https?:\/\/[^\s]+/)?.[0];
  if (!base) throw new Error(`no sandbox base URL in the running tag: ${running}`);
  const text = async (id: string) => (await page.getByTestId(id).innerText()).trim();
  return {
    sandboxBase: base.replace(/\/+$/, ""),
    appAppid: await text("sandbox-demo-app-appid"),
    appSecret: await revealSecret(page, "sandbox-demo-app-secret"),
    componentAppid: await text("sandbox-demo-component-appid"),
    componentSecret: await revealSecret(page, "sandbox-demo-component-secret"),
    componentToken: await revealSecret(page, "sandbox-demo-component-token"),
    componentAesKey: await revealSecret(page, "sandbox-demo-component-aes-key"),
    authorizerAppid: (await page.getByTestId("sandbox-demo").locator("code").last().innerText()).trim(),
  };
}

/**
 * Reveals a masked secret (`{p}-reveal`), returns the real value, and hides
 * it again. Asserts it was masked before.
 */
export async function revealSecret(page: Page, p: string): Promise<string> {
  const value = page.getByTestId(`${p}-value`);
  await expect(value).toBeVisible();
  const masked = (await value.innerText()).trim();
  expect(masked, `${p} is masked before Reveal`).toContain("…");
  await page.getByTestId(`${p}-reveal`).click();
  await expect(value).not.toHaveText(masked);
  const real = (await value.innerText()).trim();
  expect(real, `${p} revealed`).not.toContain("…");
  expect(real.length, `${p} revealed is longer than its mask`).toBeGreaterThan(masked.length);
  await page.getByTestId(`${p}-reveal`).click();
  await expect(value).toHaveText(masked);
  return real;
}

/**
 * Makes sure the sandbox demo mini program is in the desk (adding it through
 * the Add form filled from the demo card when missing) and opens its page.
 */
export async function openDemoApp(page: Page, demo: Demo): Promise<void> {
  const apps = (await go(page, "apps")) as Array<{ appid: string }> | null;
  if (!apps?.some((a) => a.appid === demo.appAppid)) {
    await page.getByTestId("apps-add").click();
    await expect(page.getByTestId("app-form")).toBeVisible();
    await page.getByTestId("app-form-fill-demo").click();
    await expect(page.getByTestId("app-form-appid")).toHaveValue(demo.appAppid);
    await page.getByTestId("app-form-submit").click();
    await expect(page.getByTestId("app-form")).toHaveCount(0);
  } else {
    await page.getByTestId(`app-open-${demo.appAppid}`).click();
  }
  await expect(page).toHaveURL(new RegExp(`#/apps/${demo.appAppid}$`));
  await expect(page.getByTestId("app-appid")).toHaveText(demo.appAppid);
}

/**
 * Makes sure the sandbox demo platform is in the desk (adding it through the
 * Add form filled from the demo card when missing) and opens its page.
 */
export async function openDemoComponent(page: Page, demo: Demo): Promise<void> {
  const list = (await go(page, "components")) as Array<{ appid: string }> | null;
  if (!list?.some((c) => c.appid === demo.componentAppid)) {
    await page.getByTestId("components-add").click();
    await expect(page.getByTestId("component-form")).toBeVisible();
    await page.getByTestId("component-form-fill-demo").click();
    await expect(page.getByTestId("component-form-appid")).toHaveValue(demo.componentAppid);
    await expect(page.getByTestId("component-form-redirect-uri")).toHaveValue(`${demo.sandboxBase}/`);
    await page.getByTestId("component-form-submit").click();
    await expect(page.getByTestId("component-form")).toHaveCount(0);
  } else {
    await page.getByTestId(`component-open-${demo.componentAppid}`).click();
  }
  await expect(page).toHaveURL(new RegExp(`#/components/${demo.componentAppid}$`));
  await expect(page.getByTestId("component-appid")).toHaveText(demo.componentAppid);
  await expect(page.getByTestId("ticket-age")).toBeVisible();
}

/**
 * On a platform's page: pastes the push the sandbox just sent (query string
 * and encrypted XML body) and checks the ticket was stored. Returns what was
 * pasted.
 */
export async function pasteTicketPush(page: Page): Promise<{ query: string; body: string }> {
  await byRole(page, "tab", "ticket.pastePush").click();
  await page.getByTestId("push-sandbox").click();
  await expect(page.getByTestId("push-query")).not.toHaveValue("");
  await expect(page.getByTestId("push-body")).not.toHaveValue("");
  const query = await page.getByTestId("push-query").inputValue();
  const body = await page.getByTestId("push-body").inputValue();
  expect(query).toContain("msg_signature=");
  expect(body).toContain("<Encrypt>");
  await page.getByTestId("push-submit").click();
  await expect(page.getByTestId("push-result")).toHaveAttribute("data-action", "ticket_stored");
  await expect(page.getByTestId("ticket-age")).toHaveAttribute("data-valid", "true");
  return { query, body };
}

/** On a platform's page: pastes a ticket push unless the ticket is already valid. */
export async function ensureTicket(page: Page): Promise<void> {
  await expect(page.getByTestId("ticket-age")).toBeVisible();
  if ((await page.getByTestId("ticket-age").getAttribute("data-valid")) !== "true") await pasteTicketPush(page);
}

/** What one run of the Authorize wizard produced. */
export interface Authorized {
  kind: "pc" | "h5";
  link: string;
  preAuthCode: string;
  callbackUrl: string;
  authCode: string;
  authorizerAppid: string;
}

/**
 * Runs the Authorize wizard from a platform's page: PC or H5 link with its
 * QR code and countdown, open the link (the sandbox consent page) in a new
 * tab, press Authorize there, take the address it lands on, paste it back,
 * and see the authorizer card. `beforeOpen` runs with the link on screen
 * (e.g. for a screenshot).
 */
export async function authorizeMerchant(
  page: Page,
  context: BrowserContext,
  kind: "pc" | "h5",
  opts: { via?: "button" | "address"; beforeOpen?: () => Promise<void> } = {},
): Promise<Authorized> {
  // Either on the platform's page or already in the wizard.
  await expect(page.getByTestId("wizard-header").or(page.getByTestId("component-header"))).toBeVisible();
  if (await page.getByTestId("component-header").isVisible()) {
    await page.getByTestId("component-authorize").click();
  } else if (!(await page.getByTestId("wizard-options").isVisible())) {
    if (await page.getByTestId("wizard-again").isVisible()) {
      await page.getByTestId("wizard-again").click();
    } else if (await page.getByTestId("wizard-back-to-link").isVisible()) {
      await page.getByTestId("wizard-back-to-link").click();
      await page.getByTestId("wizard-edit").click();
    }
  }
  await expect(page.getByTestId("wizard-options")).toBeVisible();
  await page.getByTestId(`wizard-kind-${kind}`).click();
  await page.getByTestId("wizard-create").click();
  await expect(page.getByTestId("wizard-link-card")).toBeVisible();
  const link = (await page.getByTestId("wizard-link").innerText()).trim();
  const url = new URL(link);
  expect(url.pathname).toBe(kind === "pc" ? "/cgi-bin/componentloginpage" : "/wxaopen/safe/bindcomponent");
  const preAuthCode = url.searchParams.get("pre_auth_code") ?? "";
  expect(preAuthCode, "the link carries a pre_auth_code").not.toBe("");
  await expect(page.getByTestId("wizard-kind-note")).toBeVisible();
  await expect(page.getByTestId("qr-image")).toBeVisible();
  await expect(page.getByTestId("qr-image")).toHaveAttribute("data-text", link);
  await expect(page.getByTestId("qr-image")).toHaveJSProperty("complete", true);
  expect(await page.getByTestId("qr-image").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId("wizard-countdown")).toHaveAttribute("data-level", "ok");
  const secs = Number(await page.getByTestId("wizard-countdown").getAttribute("data-seconds"));
  expect(secs).toBeGreaterThan(60);
  if (opts.beforeOpen) await opts.beforeOpen();

  // The merchant's side: the consent page in a new tab.
  let consent: Page;
  if ((opts.via ?? "button") === "button") {
    const opened = context.waitForEvent("page");
    await page.getByTestId("wizard-open").click();
    consent = await opened;
  } else {
    consent = await context.newPage();
    await consent.goto(link);
  }
  await expect(consent.locator("#authorize")).toBeVisible();
  const authorizerAppid = (await consent.locator("#authorizer_appid").inputValue()).trim();
  expect(authorizerAppid).toMatch(/^wx[0-9a-f]{16}$/);
  // The redirect target is the platform's redirect URI; capture the address
  // the browser is sent to whether or not that page exists.
  // The redirect target is the platform's own page; answer it here with a
  // plain page (a merchant's browser would show whatever the platform serves).
  await consent.route(
    (u) => u.searchParams.has("auth_code"),
    (route) => route.fulfill({ contentType: "text/html", body: "<p>authorized</p>" }),
  );
  const landed = consent.waitForRequest((r) => r.isNavigationRequest() && r.url().includes("auth_code="));
  await consent.locator("#authorize").click();
  const callbackUrl = (await landed).url();
  await consent.waitForLoadState("load");
  await consent.close();
  await page.bringToFront();
  const authCode = new URL(callbackUrl).searchParams.get("auth_code") ?? "";
  expect(authCode, "the callback carries an auth_code").not.toBe("");

  // Back in the desk: paste the callback URL.
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("wizard-finish")).toBeVisible();
  await page.getByTestId("wizard-callback").fill(callbackUrl);
  await byRole(page, "button", "wizard.authorize").click();
  await expect(page.getByTestId("wizard-result")).toBeVisible();
  await expect(page.getByTestId("wizard-error")).toHaveCount(0);
  await expect(page.getByTestId("authorizer-card")).toBeVisible();
  await expect(page.getByTestId("authorizer-appid")).toHaveText(authorizerAppid);
  await expect(page.getByTestId("authorizer-status")).toBeVisible();
  return { kind, link, preAuthCode, callbackUrl, authCode, authorizerAppid };
}

/**
 * The encryptedData a mini program receives from wx.getUserInfo and the like:
 * AES-128-CBC with the session_key, PKCS#7 padding, base64 — made here the
 * way WeChat makes it, so the decrypt panel has something real to open.
 */
export function encryptOpenData(sessionKeyB64: string, payload: Record<string, unknown>): { iv: string; data: string } {
  const key = Buffer.from(sessionKeyB64, "base64");
  if (key.length !== 16) throw new Error(`session_key decodes to ${key.length} bytes, not 16`);
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-128-cbc", key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(payload), "utf8"), cipher.final()]);
  return { iv: iv.toString("base64"), data: data.toString("base64") };
}

/** Waits until nothing on screen is loading (spinners, loading tables). */
export async function settle(page: Page): Promise<void> {
  await expect(page.locator(".plain-spin--show, .n-button--loading, .plain-btn--loading")).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Saves a screenshot of the whole window as a test artifact (tests/artifacts/screenshots/<name>.png). */
export async function shot(page: Page, name: string): Promise<void> {
  await settle(page);
  mkdirSync(ARTIFACT_SHOTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACT_SHOTS, `${name}.png`), animations: "disabled", caret: "hide" });
}

/**
 * A README screenshot (1440x900, light theme): always saved as an artifact;
 * written to tests/e2e/screenshots/<lang>/<screen>.png only when
 * WXDESK_E2E_UPDATE_SCREENSHOTS=1, so ordinary runs leave the tree clean.
 */
export async function readmeShot(page: Page, lang: Lang, screen: string): Promise<void> {
  await settle(page);
  const vp = page.viewportSize();
  expect(vp).toEqual({ width: 1440, height: 900 });
  await expect(page.getByTestId("theme-light")).toBeVisible();
  const dirs = [join(ARTIFACT_SHOTS, "readme", lang)];
  if (UPDATE_README_SHOTS) dirs.push(join(README_SHOTS, lang));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${screen}.png`), animations: "disabled", caret: "hide" });
  }
}

/** The UI's text of catalogue key `key` (e.g. "app.tabs.login") in `lang`. */
export function uiText(lang: Lang, key: string): string {
  let v: unknown = lang === "en" ? en : zhCN;
  for (const part of key.split(".")) v = (v as Record<string, unknown> | undefined)?.[part];
  if (typeof v !== "string") throw new Error(`no UI text ${key} in ${lang}`);
  return v;
}

/**
 * A control found the way a screen reader finds it: by role and accessible
 * name (the catalogue text of `key`, in either UI language).
 */
export function byRole(page: Page, role: "tab" | "button", key: string): Locator {
  const names = (["en", "zh-CN"] as const).map((l) => uiText(l, key).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return page.getByRole(role, { name: new RegExp(`^\\s*(${names.join("|")})\\s*$`) });
}

/**
 * Shows a merchant's row on the Releases list by searching its AppID: the
 * list is paged (the specs share one desk, and batch.spec adds twenty), so
 * a row is never looked for on whichever page happens to be shown. A row is
 * drawn only with its version state (the screen writes both at once).
 */
export async function findRelease(page: Page, appid: string): Promise<void> {
  await page.getByTestId("releases-search").fill(appid);
  await expect(page.getByTestId(`release-open-${appid}`), `${appid} is listed on Releases`).toBeVisible();
}
