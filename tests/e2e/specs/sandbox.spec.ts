// The embedded sandbox never holds a real secret and keeps its control
// surface locked: its hooks answer 401 to a browser without the token, the
// Settings card opens the console through a one-time link, and a real AppID
// is walked through the sandbox with credentials the sandbox makes up.
import { expect, test } from "@playwright/test";
import { revealSecret, startSandbox } from "../helpers";

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
  const [tab] = await Promise.all([context.waitForEvent("page"), page.getByTestId("sandbox-open-console").click()]);
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
