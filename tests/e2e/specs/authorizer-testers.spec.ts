// The daily case of a third-party platform: a merchant's mini program whose
// AppSecret the desk never has. Its page offers the same testers as a mini
// program, with the authorizer token: log in (sns/component/jscode2session)
// and exchange a phone code. A failed call's rid is looked up from the error
// alert and from the call log: the request WeChat saw, and when.
import { expect, test, type Page } from "@playwright/test";
import { authorizeMerchant, byRole, ensureTicket, go, openDemoComponent, shot, startSandbox } from "../helpers";

async function openNewAuthorizer(page: Page, context: Parameters<typeof authorizeMerchant>[1]): Promise<string> {
  const demo = await startSandbox(page);
  await openDemoComponent(page, demo);
  await ensureTicket(page);
  const a = await authorizeMerchant(page, context, "pc", { via: "button" });
  await page.getByTestId("wizard-open-authorizer").click();
  await expect(page.getByTestId("authorizer-appid")).toHaveText(a.authorizerAppid);
  await expect(page.getByTestId("authorizer-testers")).toBeVisible();
  return a.authorizerAppid;
}

test("log in and get a phone number for an authorizer with no AppSecret", async ({ page, context }) => {
  const appid = await openNewAuthorizer(page, context);

  await byRole(page, "tab", "app.tabs.login").click();
  await expect(page.getByTestId("login-component")).toHaveCount(0);
  await page.getByTestId("login-sandbox-code").click();
  await expect(page.getByTestId("login-code")).not.toHaveValue("");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-saved")).toBeVisible();
  await expect(page.getByTestId("login-result")).toContainText("Through the platform");
  await expect(page.getByTestId("login-error")).toHaveCount(0);

  await byRole(page, "tab", "app.tabs.phone").click();
  await page.getByTestId("phone-sandbox-code").click();
  await expect(page.getByTestId("phone-code")).not.toHaveValue("");
  await page.getByTestId("phone-submit").click();
  await expect(page.getByTestId("phone-number")).toHaveText("13800138000");
  await expect(page.getByTestId("phone-watermark")).toBeVisible();
  await expect(page.getByTestId("phone-result")).toContainText(appid);
  await shot(page, "authorizer-testers-phone");
});

test("look up a rid from a failed call", async ({ page, context }) => {
  await openNewAuthorizer(page, context);

  await byRole(page, "tab", "app.tabs.phone").click();
  await page.getByTestId("phone-code").fill("bogus-code-0001");
  await page.getByTestId("phone-submit").click();
  await expect(page.getByTestId("phone-error")).toContainText("40029");

  // From the error alert: the AppID is known, the lookup runs at once.
  await page.getByTestId("phone-error-rid-open").click();
  await expect(page.getByTestId("phone-error-rid-url")).toContainText("/wxa/business/getuserphonenumber");
  await expect(page.getByTestId("phone-error-rid-result")).toBeVisible();
  await expect(page.getByTestId("phone-error-rid-dialog")).not.toContainText("bogus-code-0001");
  await shot(page, "rid-lookup-dialog");
  await page.keyboard.press("Escape");

  // From the call log: the failed call's entry has the same button.
  await go(page, "calls");
  await page.getByTestId("calls-filter-endpoint").fill("wxa/business/getuserphonenumber");
  await page.locator('[data-testid^="call-row-"]').filter({ hasText: "40029" }).first().click();
  await expect(page.getByTestId("call-detail")).toBeVisible();
  await page.getByTestId("call-rid-open").click();
  await expect(page.getByTestId("call-rid-url")).toContainText("/wxa/business/getuserphonenumber");
});
