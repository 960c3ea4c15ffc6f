// The embedded sandbox never holds a real secret and keeps its control
// surface locked: its hooks answer 401 to a browser without the token, the
// Settings card opens the console through a one-time link, and a real AppID
// is walked through the sandbox with credentials the sandbox makes up.
// The README's walk (steps 1–4) works end to end from a reloaded page.
import { expect, test } from "@playwright/test";
import { byRole, ensureTicket, go, openDemoApp, openDemoComponent, opResponse, revealSecret, startSandbox, uiText } from "../helpers";

test("the sandbox console opens from Settings and its hooks are locked to others", async ({ page, context }) => {
  const demo = await startSandbox(page);

  // A browser tab without the token gets nothing from the hooks or the console.
  const other = await context.browser()!.newContext();
  const stranger = await other.newPage();
  const state = await stranger.goto(`${demo.sandboxBase}/__sandbox/state`);
  expect(state!.status()).toBe(401);
  expect(await stranger.content()).not.toContain(demo.appSecret);
  const console_ = await stranger.goto(`${demo.sandboxBase}/`);
  expect(console_!.status()).toBe(401);
  await other.close();

  // "Open the sandbox console" opens it, logged in, listing the demo accounts.
  const [tab] = await Promise.all([context.waitForEvent("page"), byRole(page, "button", "sandbox.openConsole").click()]);
  await tab.waitForLoadState();
  await expect(tab.locator("body")).toContainText(demo.appAppid);
  expect(new URL(tab.url()).search, "the token left the address bar").toBe("");
  // Its forms work (the cookie rides along).
  await tab.locator("#mint-js-code").click();
  await expect(tab.locator("#results")).toContainText("js_code:");
  await tab.close();

  // Mirror a real AppID: the sandbox makes up its credentials.
  const appid = "wx" + "0123456789abcdef";
  await page.getByTestId("sandbox-mirror-appid").fill(appid);
  await page.getByTestId("sandbox-mirror-kind").getByText("Platform").click();
  await page.getByTestId("sandbox-mirror-run").click();
  await expect(page.getByTestId("sandbox-mirrored")).toContainText(appid);
  const secret = await revealSecret(page, "sandbox-mirrored-secret");
  expect(secret).toMatch(/^[0-9a-f]{32}$/);
  const aesKey = await revealSecret(page, "sandbox-mirrored-aes-key");
  expect(aesKey).toHaveLength(43);

  // Bad input names the field.
  await page.getByTestId("sandbox-mirror-appid").fill(demo.appAppid);
  await page.getByTestId("sandbox-mirror-kind").getByText("Mini program").click();
  await page.getByTestId("sandbox-mirror-run").click();
  await expect(page.getByTestId("sandbox-mirror-error")).toContainText("demo account");
});

test("the README walk: demo card after a reload, demo platform offered, sample data decrypts, quota reads, landing says copy back", async ({ page, context }) => {
  const demo = await startSandbox(page);

  // Step 1 survives a reload: the card and its Fill buttons come from the backend.
  const status = opResponse(page, "sandbox_status");
  await page.reload();
  await status;
  await expect(page.getByTestId("sandbox-demo")).toBeVisible();
  await expect(page.getByTestId("sandbox-demo-app-appid")).toHaveText(demo.appAppid);
  await expect(byRole(page, "button", "sandbox.fillApp")).toBeVisible();
  await expect(byRole(page, "button", "sandbox.fillComponent")).toBeVisible();

  // The platforms page offers the demo platform (unless another spec added it already).
  await page.reload();
  const platforms = (await go(page, "components")) as Array<{ appid: string }>;
  if (!platforms.some((c) => c.appid === demo.componentAppid)) {
    const offer = page.getByRole("button", { name: uiText("en", "sandbox.addDemoComponent"), exact: true });
    await expect(offer.first()).toBeVisible();
    await offer.first().click();
    await expect(page.getByTestId("component-form-appid")).toHaveValue(demo.componentAppid);
    await page.keyboard.press("Escape");
  }

  // Step 2 to its end: log in, then decrypt sample data the sandbox minted for that login.
  await openDemoApp(page, demo);
  await byRole(page, "tab", "app.tabs.login").click();
  await page.getByTestId("login-sandbox-code").click();
  await expect(page.getByTestId("login-code")).not.toHaveValue("");
  await byRole(page, "button", "login.submit").click();
  await expect(page.getByTestId("login-saved")).toBeVisible();
  const openid = (await page.getByTestId("login-openid").innerText()).trim();
  await byRole(page, "tab", "app.tabs.decrypt").click();
  await expect(page.getByTestId("decrypt-session")).toContainText(openid);
  const sample = opResponse(page, "sandbox_sample_data");
  await byRole(page, "button", "decrypt.sample").click();
  const minted = await (await sample).json();
  expect(Object.keys(minted).sort(), "only the ciphertext and iv reach the browser").toEqual(["encrypted_data", "iv"]);
  await expect(page.getByTestId("decrypt-iv")).toHaveValue(minted.iv);
  await expect(page.getByTestId("decrypt-data")).toHaveValue(minted.encrypted_data);
  await byRole(page, "button", "decrypt.submit").click();
  await expect(page.getByTestId("decrypt-error")).toHaveCount(0);
  await expect(page.getByTestId("decrypt-watermark")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("decrypt-json")).toContainText(openid);

  // The pre-filled quota path is one the sandbox (and WeChat) answers: no 76021.
  await byRole(page, "tab", "app.tabs.quota").click();
  await expect(page.getByTestId("quota-path")).not.toHaveValue("");
  await byRole(page, "button", "quota.get").click();
  await expect(page.getByTestId("quota-result")).toBeVisible();
  await expect(page.getByTestId("quota-error")).toHaveCount(0);

  // Step 4: after consenting, the sandbox's landing page says to copy its address back.
  await openDemoComponent(page, demo);
  await ensureTicket(page);
  await page.getByTestId("component-authorize").click();
  await page.getByTestId("wizard-kind-pc").click();
  await page.getByTestId("wizard-create").click();
  const link = (await page.getByTestId("wizard-link").innerText()).trim();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: demo.sandboxBase });
  const consent = await context.newPage();
  await consent.goto(link);
  await consent.locator("#authorize").click();
  await consent.waitForURL(/auth_code=/);
  await expect(consent.locator("#landing")).toContainText("Copy this page's address");
  await expect(consent.locator("#landing")).toContainText("复制");
  await expect(consent.locator("#address")).toHaveText(consent.url());
  await consent.getByRole("button", { name: /Copy the address/ }).click();
  await expect(consent.locator("#copied")).not.toBeEmpty();
  const landed = consent.url();
  await consent.close();
  await page.bringToFront();
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("wizard-callback").fill(landed);
  await byRole(page, "button", "wizard.authorize").click();
  await expect(page.getByTestId("authorizer-card")).toBeVisible();
});
