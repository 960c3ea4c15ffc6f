// Onboarding a merchant end to end, in the sandbox, through the UI alone:
// add the demo third-party platform, paste the ticket push WeChat sent, get
// the component token, run the Authorize wizard (PC, then H5), open the link
// — the sandbox consent page — press Authorize there, paste the address it
// lands on back into the wizard, and find the merchant in Authorizers.
import { expect, test } from "@playwright/test";
import { authorizeMerchant, byRole, go, openDemoComponent, pasteTicketPush, revealSecret, shot, startSandbox } from "../helpers";

test("add a platform, paste a ticket push, authorize merchants (PC and H5), see them listed", async ({ page, context }) => {
  const demo = await startSandbox(page);

  // ------------------------------------------------------------ the platform
  await go(page, "components");
  await shot(page, "components-list");
  await openDemoComponent(page, demo);
  // Its secrets are shown masked, never in full.
  await expect(page.getByTestId("component-header")).toBeVisible();
  for (const secret of [demo.componentSecret, demo.componentToken, demo.componentAesKey]) {
    expect(await page.content()).not.toContain(secret);
  }

  // ------------------------------------------------------------ ticket: paste the raw push
  await expect(page.getByTestId("ticket-panel")).toBeVisible();
  await pasteTicketPush(page);
  await expect(page.getByTestId("ticket-missing-help")).toHaveCount(0);
  await expect(page.getByTestId("ticket-error")).toHaveCount(0);

  // ------------------------------------------------------------ component token
  await page.getByTestId("component-token-get").click();
  await expect(page.getByTestId("component-token-result")).toBeVisible();
  await expect(page.getByTestId("component-token-error")).toHaveCount(0);
  const componentToken = await revealSecret(page, "component-token");
  expect(componentToken.length).toBeGreaterThan(20);
  await expect(page.getByTestId("component-token-countdown")).toHaveAttribute("data-level", "ok");
  await shot(page, "component-page");

  // ------------------------------------------------------------ Authorize wizard, PC
  const pc = await authorizeMerchant(page, context, "pc", {
    via: "button",
    beforeOpen: async () => {
      await expect(page.getByTestId("wizard-kind-note")).toHaveText(/authorization domain/i);
      await shot(page, "authorize-wizard-pc");
    },
  });
  expect(new URL(pc.callbackUrl).origin + "/").toBe(`${demo.sandboxBase}/`);
  await shot(page, "authorize-wizard-result");

  // The same callback pasted twice: WeChat refuses the used code, and the
  // error explains it and what to do.
  await page.getByTestId("wizard-callback").fill(pc.callbackUrl);
  await byRole(page, "button", "wizard.authorize").click();
  await expect(page.getByTestId("wizard-error")).toHaveAttribute("data-code", "api");
  await expect(page.getByTestId("wizard-error")).toContainText("61009");
  await expect(page.getByTestId("wizard-error")).toContainText("What to do");

  // ------------------------------------------------------------ and H5 (the merchant scans it in WeChat)
  const h5 = await authorizeMerchant(page, context, "h5", {
    via: "address",
    beforeOpen: async () => {
      await expect(page.getByTestId("wizard-kind-note")).toHaveText(/scan/i);
      await shot(page, "authorize-wizard-h5");
    },
  });
  expect(h5.authorizerAppid).not.toBe(pc.authorizerAppid);


  // ------------------------------------------------------------ the merchant's page
  await page.getByTestId("wizard-open-authorizer").click();
  await expect(page.getByTestId("authorizer-header")).toBeVisible();
  await expect(page.getByTestId("authorizer-appid")).toHaveText(h5.authorizerAppid);
  await expect(page.getByTestId("authorizer-status")).toBeVisible();
  await page.getByTestId("authorizer-token-get").click();
  await expect(page.getByTestId("authorizer-token-result")).toBeVisible();
  await expect(page.getByTestId("authorizer-token-countdown")).toHaveAttribute("data-level", "ok");
  await revealSecret(page, "authorizer-token");
  await shot(page, "authorizer-detail");

  // ------------------------------------------------------------ Authorizers lists both
  await go(page, "authorizers");
  await expect(page.getByTestId(`authorizer-row-${pc.authorizerAppid}`)).toBeVisible();
  await expect(page.getByTestId(`authorizer-row-${h5.authorizerAppid}`)).toBeVisible();
  // Search narrows it to one.
  await page.getByTestId("authorizers-search").fill(pc.authorizerAppid);
  await expect(page.getByTestId(`authorizer-row-${h5.authorizerAppid}`)).toHaveCount(0);
  await expect(page.getByTestId(`authorizer-row-${pc.authorizerAppid}`)).toBeVisible();
  await page.getByTestId("authorizers-search").fill("");
  await expect(page.getByTestId(`authorizer-row-${h5.authorizerAppid}`)).toBeVisible();
  await shot(page, "authorizers-list");
  await page.getByTestId(`authorizer-row-${pc.authorizerAppid}`).click();
  await expect(page.getByTestId("authorizer-appid")).toHaveText(pc.authorizerAppid);

  // ------------------------------------------------------------ the dashboard counts them
  await go(page, "dashboard");
  await expect(page.getByTestId(`dashboard-ticket-${demo.componentAppid}`)).toHaveAttribute("data-valid", "true");
  const active = Number(await page.getByTestId("stat-authorizers").locator(".plain-stat__content").innerText());
  expect(active).toBeGreaterThanOrEqual(2);
  await shot(page, "dashboard");
});
