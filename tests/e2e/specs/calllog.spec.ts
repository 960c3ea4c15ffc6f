// The call log shows every call made to WeChat — and no secret, anywhere on
// the page. The spec first makes the calls itself (so it stands alone) and
// collects every secret value it meets on the way, through the UI: the demo
// accounts' secrets (Reveal on the Settings card), the ticket (the pushed XML
// decrypted with Tools), access tokens (Reveal in the token panels), the
// session key, the single-use codes (login, phone, pre_auth_code, auth_code).
// Then it checks the call log page and every opened detail for each of them.
import { expect, test, type Page } from "@playwright/test";
import { authorizeMerchant, byRole, ensureTicket, go, openDemoApp, openDemoComponent, pasteTicketPush, revealSecret, shot, startSandbox } from "../helpers";

/** A secret with where it came from, for a readable failure. */
type Secret = { what: string; value: string };

async function assertNoSecret(page: Page, secrets: Secret[], where: string): Promise<void> {
  const html = await page.content();
  const text = await page.locator("body").innerText();
  for (const s of secrets) {
    expect(html.includes(s.value), `${s.what} appears in the HTML of ${where}`).toBe(false);
    expect(text.includes(s.value), `${s.what} appears in the text of ${where}`).toBe(false);
  }
}

test("the call log lists the calls, with request and response, and no secret anywhere", async ({ page, context }) => {
  const demo = await startSandbox(page);
  const secrets: Secret[] = [
    { what: "the demo AppSecret", value: demo.appSecret },
    { what: "the demo component secret", value: demo.componentSecret },
    { what: "the demo message token", value: demo.componentToken },
    { what: "the demo EncodingAESKey", value: demo.componentAesKey },
  ];
  const keep = (what: string, value: string) => {
    expect(value.length, `${what} is non-trivial`).toBeGreaterThanOrEqual(8);
    secrets.push({ what, value });
  };

  // ------------------------------------------------------------ mini program calls
  await openDemoApp(page, demo);
  await page.getByTestId("token-get").click();
  keep("the stable access token", await revealSecret(page, "token"));
  await byRole(page, "tab", "app.tabs.login").click();
  await page.getByTestId("login-sandbox-code").click();
  await expect(page.getByTestId("login-code")).not.toHaveValue("");
  keep("a js_code", await page.getByTestId("login-code").inputValue());
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-saved")).toBeVisible();
  const sessionKey = await revealSecret(page, "login-session-key");
  keep("the session_key", sessionKey);
  await byRole(page, "tab", "app.tabs.phone").click();
  await page.getByTestId("phone-sandbox-code").click();
  await expect(page.getByTestId("phone-code")).not.toHaveValue("");
  keep("a phone code", await page.getByTestId("phone-code").inputValue());
  await page.getByTestId("phone-submit").click();
  await expect(page.getByTestId("phone-result")).toBeVisible();

  // ------------------------------------------------------------ platform calls
  await openDemoComponent(page, demo);
  const push = await pasteTicketPush(page);
  await page.getByTestId("component-token-get").click();
  keep("the component_access_token", await revealSecret(page, "component-token"));
  await ensureTicket(page);
  const auth = await authorizeMerchant(page, context, "pc");
  keep("the pre_auth_code", auth.preAuthCode);
  keep("the auth_code", auth.authCode);
  await page.getByTestId("wizard-open-authorizer").click();
  await page.getByTestId("authorizer-token-get").click();
  keep("the authorizer_access_token", await revealSecret(page, "authorizer-token"));

  // The ticket itself, read the way an operator would: Tools → push decrypter.
  await go(page, "tools");
  await byRole(page, "tab", "tools.tabs.push").click();
  await page.getByTestId("tool-push-token").fill(demo.componentToken);
  await page.getByTestId("tool-push-aes-key").fill(demo.componentAesKey);
  await page.getByTestId("tool-push-appid").fill(demo.componentAppid);
  await page.getByTestId("tool-push-query").fill(push.query);
  await page.getByTestId("tool-push-body").fill(push.body);
  await page.getByTestId("tool-push-submit").click();
  await expect(page.getByTestId("tool-push-info-type")).toHaveText("component_verify_ticket");
  const xml = await page.getByTestId("tool-push-xml").innerText();
  const ticket = xml.match(/<ComponentVerifyTicket><!\[CDATA\[([^\]]+)\]\]>/)?.[1];
  expect(ticket, "the decrypted push holds the ticket").toBeTruthy();
  keep("the component_verify_ticket", ticket!);

  // ------------------------------------------------------------ the call log
  await go(page, "calls");
  await expect(page.getByTestId("calls-table")).toBeVisible();
  await expect(page.getByTestId("calls-empty")).toHaveCount(0);
  const rows = page.locator('[data-testid^="call-row-"]');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(5);
  await assertNoSecret(page, secrets, "the call log");
  await shot(page, "call-log");

  // Each kind of call made above is there (the endpoint filter takes the
  // exact path); its detail shows the redacted request and response, and
  // still no secret.
  const endpoints = [
    "cgi-bin/stable_token",
    "sns/jscode2session",
    "wxa/business/getuserphonenumber",
    "cgi-bin/component/api_component_token",
    "cgi-bin/component/api_create_preauthcode",
    "cgi-bin/component/api_query_auth",
    "cgi-bin/component/api_get_authorizer_info",
  ];
  const filter = page.getByTestId("calls-filter-endpoint");
  for (const endpoint of endpoints) {
    const loaded = page.waitForResponse((r) => r.url().endsWith("/api/op/call_log"));
    await filter.fill(endpoint);
    await loaded;
    const first = rows.first();
    await expect(first, `a call to ${endpoint} is logged`).toBeVisible();
    await expect(first).toContainText(endpoint);
    await first.click();
    const detail = page.getByTestId("call-detail");
    await expect(detail).toBeVisible();
    await expect(detail).toContainText(endpoint);
    await expect(page.getByTestId("call-request")).toBeVisible();
    await expect(page.getByTestId("call-response")).toBeVisible();
    expect((await page.getByTestId("call-response").innerText()).trim().length, `${endpoint} has a response`).toBeGreaterThan(2);
    await assertNoSecret(page, secrets, `the detail of ${endpoint}`);
    if (endpoint === "sns/jscode2session") {
      // The redaction is there to see: each secret reduced to its first characters.
      await expect(page.getByTestId("call-request")).toContainText(`secret=${demo.appSecret.slice(0, 4)}…`);
      await expect(page.getByTestId("call-response")).toContainText(`"session_key": "${sessionKey.slice(0, 4)}…"`);
      await shot(page, "call-log-detail");
    }
    await detail.locator(".n-drawer-header__close, .n-base-close").first().click();
    await expect(detail).toHaveCount(0);
  }

  // A failed call (the used auth_code pasted again) shows its errcode with the explanation and fix.
  await go(page, "components");
  await page.getByTestId(`component-open-${demo.componentAppid}`).click();
  await page.getByTestId("component-authorize").click();
  await page.getByTestId("wizard-create").click();
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("wizard-callback").fill(auth.callbackUrl);
  await byRole(page, "button", "wizard.authorize").click();
  await expect(page.getByTestId("wizard-error")).toContainText("61009");
  await go(page, "calls");
  await page.getByTestId("calls-filter-errors").click();
  await expect(rows.first()).toContainText("61009");
  await rows.first().click();
  await expect(page.getByTestId("call-errcode")).toHaveText("61009");
  await expect(page.getByTestId("call-explanation")).toBeVisible();
  await expect(page.getByTestId("call-explanation")).toContainText("What to do");
  await assertNoSecret(page, secrets, "a failed call's detail");
});
