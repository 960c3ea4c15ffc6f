// A newcomer's first mini program, in the sandbox: add it (after a typo the
// form catches, and a credentials test before saving), get its access token (stable by default; legacy asks first),
// then the testers — login, phone number, checksession, decrypt — and the
// data decrypter in Tools with the official WeChat vector.
import { expect, test } from "@playwright/test";
import { byRole, DOCS_EXAMPLE, encryptOpenData, go, revealSecret, shot, startSandbox, type Demo } from "../helpers";

test.describe.configure({ mode: "serial" });


test("add a mini program, get its token, log in, phone, checksession, decrypt", async ({ page }) => {
  const demo: Demo = await startSandbox(page);
  await shot(page, "settings-sandbox");

  // ------------------------------------------------------------ add (with a typo first)
  const apps = (await go(page, "apps")) as Array<{ appid: string }>;
  await shot(page, "apps-list");
  await page.getByTestId("apps-add").click();
  await expect(page.getByTestId("app-form")).toBeVisible();
  await page.getByTestId("app-form-appid").fill("wx123");
  await page.getByTestId("app-form-secret").fill(demo.appSecret);
  await page.getByTestId("app-form-submit").click();
  const appidItem = page.getByTestId("app-form").locator(".n-form-item").filter({ has: page.getByTestId("app-form-appid") });
  const feedback = appidItem.locator(".n-form-item-feedback");
  await expect(feedback).toContainText("AppID");
  await expect(feedback).toContainText("18 characters");
  await expect(page.getByTestId("app-form")).toBeVisible(); // nothing was sent
  // An AppSecret pasted into the AppID field is recognised as such.
  await page.getByTestId("app-form-appid").fill(demo.appSecret);
  await expect(feedback).toContainText("looks like an AppSecret");
  // "Test these credentials" before saving: a wrong AppSecret is named with
  // the fix (40125), the right one passes; nothing is saved either way.
  await page.getByTestId("app-form-appid").fill(demo.appAppid);
  await page.getByTestId("app-form-secret").fill("0".repeat(32));
  await page.getByTestId("app-form-test").click();
  await expect(page.getByTestId("app-form-test-error")).toContainText("40125");
  await page.getByTestId("app-form-secret").fill(demo.appSecret);
  await expect(page.getByTestId("app-form-test-error")).toHaveCount(0);
  await page.getByTestId("app-form-test").click();
  await expect(page.getByTestId("app-form-test-result")).toBeVisible();
  await expect(page.getByTestId("app-form-test-result")).not.toContainText(demo.appSecret);
  await shot(page, "app-form-credentials-ok");

  if (apps.some((a) => a.appid === demo.appAppid)) {
    await page.getByTestId("app-form-cancel").click();
    await expect(page.getByTestId("app-form")).toHaveCount(0);
    await page.getByTestId(`app-open-${demo.appAppid}`).click();
  } else {
    await page.getByTestId("app-form-fill-demo").click();
    await expect(page.getByTestId("app-form-appid")).toHaveValue(demo.appAppid);
    await expect(feedback.filter({ hasText: /\S/ })).toHaveCount(0);
    await page.getByTestId("app-form-submit").click();
    await expect(page.getByTestId("app-form")).toHaveCount(0);
  }
  await expect(page).toHaveURL(new RegExp(`#/apps/${demo.appAppid}$`));
  await expect(page.getByTestId("app-appid")).toHaveText(demo.appAppid);
  // The list shows the secret masked, never in full.
  await expect(page.getByTestId("app-secret")).not.toContainText(demo.appSecret);

  // ------------------------------------------------------------ token: stable by default
  await expect(page.getByTestId("token-panel")).toBeVisible();
  await page.getByTestId("token-get").click();
  await expect(page.getByTestId("token-result")).toBeVisible();
  await expect(page.getByTestId("token-error")).toHaveCount(0);
  await expect(page.getByTestId("token-risk")).toHaveCount(0);
  const token = await revealSecret(page, "token");
  expect(token.length).toBeGreaterThan(20);
  await expect(page.getByTestId("token-countdown")).toHaveAttribute("data-level", "ok");
  const left = Number(await page.getByTestId("token-countdown").getAttribute("data-seconds"));
  expect(left).toBeGreaterThan(3000);
  expect(left).toBeLessThanOrEqual(7200);
  await expect(page.getByTestId("token-countdown")).not.toHaveAttribute("data-seconds", String(left)); // it is live
  await expect(page.getByTestId("token-result")).toContainText("stable_token");
  await shot(page, "app-token");

  // Legacy mode explains the risk, asks first; Cancel sends nothing.
  await page.getByTestId("token-mode-legacy").click();
  await expect(page.getByTestId("token-risk")).toBeVisible();
  await page.getByTestId("token-get").click();
  await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  await page.getByTestId("confirm-cancel").click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);
  await expect(page.getByTestId("token-result")).toContainText("stable_token");
  // … and Continue gets the legacy token, with the warning about it.
  await page.getByTestId("token-get").click();
  await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("confirm-dialog")).toHaveCount(0);
  await expect(page.getByTestId("token-result")).toContainText(/Issued by\s*cgi-bin\/token/);
  await expect(page.getByTestId("token-warning")).toBeVisible();
  await expect(page.getByTestId("token-countdown")).toHaveAttribute("data-level", "ok");
  await page.getByTestId("token-mode-stable").click();
  await expect(page.getByTestId("token-risk")).toHaveCount(0);

  // ------------------------------------------------------------ login tester
  await byRole(page, "tab", "app.tabs.login").click();
  await page.getByTestId("login-sandbox-code").click();
  await expect(page.getByTestId("login-code")).not.toHaveValue("");
  const code = await page.getByTestId("login-code").inputValue();
  const sessionsLoaded = page.waitForResponse((r) => r.url().endsWith("/api/op/sessions"));
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-saved")).toBeVisible();
  await expect(page.getByTestId("login-error")).toHaveCount(0);
  const openid = (await page.getByTestId("login-openid").innerText()).trim();
  expect(openid.length).toBeGreaterThan(10);
  await expect(page.getByTestId("login-unionid")).toBeVisible();
  const sessionKey = await revealSecret(page, "login-session-key");
  expect(Buffer.from(sessionKey, "base64")).toHaveLength(16);
  await expect(page.getByTestId("login-code")).toHaveValue(""); // a code is single-use
  await sessionsLoaded;
  await shot(page, "app-login");

  // The same code again is refused, and the error says why.
  await page.getByTestId("login-code").fill(code);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toBeVisible();
  await expect(page.getByTestId("login-error")).toHaveAttribute("data-code", "api");
  await expect(page.getByTestId("login-error")).toContainText("40163");

  // ------------------------------------------------------------ phone tester
  await byRole(page, "tab", "app.tabs.phone").click();
  await page.getByTestId("phone-sandbox-number").fill("13912345678");
  await page.getByTestId("phone-sandbox-code").click();
  await expect(page.getByTestId("phone-code")).not.toHaveValue("");
  await page.getByTestId("phone-submit").click();
  await expect(page.getByTestId("phone-result")).toBeVisible();
  await expect(page.getByTestId("phone-number")).toHaveText("13912345678");
  await expect(page.getByTestId("phone-watermark")).toBeVisible();
  await expect(page.getByTestId("phone-error")).toHaveCount(0);

  // ------------------------------------------------------------ checksession (the saved login)
  await byRole(page, "tab", "app.tabs.checksession").click();
  await expect(page.getByTestId("checksession-empty")).toHaveCount(0);
  await expect(page.getByTestId("checksession-session")).toContainText(openid);
  await page.getByTestId("checksession-submit").click();
  await expect(page.getByTestId("checksession-result")).toHaveAttribute("data-valid", "true");

  // ------------------------------------------------------------ decrypt panel
  // What a mini program would send up after wx.getUserInfo: encrypted with
  // this session's key, watermarked with this AppID.
  const profile = {
    openId: openid,
    nickName: "E2E 用户",
    gender: 1,
    watermark: { appid: demo.appAppid, timestamp: Math.floor(Date.now() / 1000) },
  };
  const blob = encryptOpenData(sessionKey, profile);
  await byRole(page, "tab", "app.tabs.decrypt").click();
  await expect(page.getByTestId("decrypt-session")).toContainText(openid);
  // A broken iv first: the error names the field.
  await page.getByTestId("decrypt-iv").fill("not-base64!");
  await page.getByTestId("decrypt-data").fill(blob.data);
  await page.getByTestId("decrypt-submit").click();
  await expect(page.getByTestId("decrypt-error")).toBeVisible();
  await expect(page.getByTestId("decrypt-error").locator(".error-alert__message")).toHaveText(/^iv is not valid base64/);
  await page.getByTestId("decrypt-iv").fill(blob.iv);
  await page.getByTestId("decrypt-submit").click();
  await expect(page.getByTestId("decrypt-error")).toHaveCount(0);
  await expect(page.getByTestId("decrypt-watermark")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("decrypt-json")).toContainText(openid);
  await expect(page.getByTestId("decrypt-json")).toContainText("E2E 用户");
  await shot(page, "app-decrypt");

  // ------------------------------------------------------------ Tools → data decrypter, official vector
  const v = DOCS_EXAMPLE;
  await go(page, "tools");
  await byRole(page, "tab", "tools.tabs.data").click();
  // A bad AppID is caught, naming the field.
  await page.getByTestId("tool-data-appid").fill("wx4f4bc4dec97d47");
  await page.getByTestId("tool-data-session-key").fill(v.session_key);
  await page.getByTestId("tool-data-iv").fill(v.iv);
  await page.getByTestId("tool-data-data").fill(v.encrypted_data);
  await page.getByTestId("tool-data-submit").click();
  await expect(page.locator(".n-form-item").filter({ has: page.getByTestId("tool-data-appid") }).locator(".n-form-item-feedback")).toContainText(
    "AppID",
  );
  await expect(page.getByTestId("tool-data-json")).toHaveCount(0);
  await page.getByTestId("tool-data-appid").fill(v.appid);
  await page.getByTestId("tool-data-submit").click();
  await expect(page.getByTestId("tool-data-error")).toHaveCount(0);
  await expect(page.getByTestId("tool-data-json")).toContainText(v.openId);
  await expect(page.getByTestId("tool-data-watermark")).toBeVisible();
  await shot(page, "tools");
});
