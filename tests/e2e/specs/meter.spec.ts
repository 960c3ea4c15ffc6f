// The paid phone-number meter and the merchant as a home, in a real browser.
// A new merchant's mini program makes 3 paid getuserphonenumber calls with
// the authorizer token; its meter card then reads 3 calls against the trial,
// and so does the dashboard's. The merchant page keeps notes and tags (found
// again from the merchants list, whose rows show full names and the token's
// expiry), makes a re-authorize link for this merchant alone, and links to
// the merchant's calls. Controls are found by role and accessible name.
import { expect, test, type Page } from "@playwright/test";
import { authorizeMerchant, byRole, ensureTicket, go, openDemoComponent, shot, startSandbox } from "../helpers";

async function openNewAuthorizer(page: Page, context: Parameters<typeof authorizeMerchant>[1]): Promise<string> {
  const demo = await startSandbox(page);
  await openDemoComponent(page, demo);
  await ensureTicket(page);
  const a = await authorizeMerchant(page, context, "pc", { via: "button" });
  await page.getByTestId("wizard-open-authorizer").click();
  await expect(page.getByTestId("authorizer-appid")).toHaveText(a.authorizerAppid);
  return a.authorizerAppid;
}

test("read the meter after 3 paid calls", async ({ page, context }) => {
  const appid = await openNewAuthorizer(page, context);
  const meter = page.getByRole("region", { name: "Phone-number meter" });
  await expect(meter).toBeVisible();
  await expect(meter.getByTestId("meter-month-calls")).toHaveText("0");

  // Naive UI's tabs carry no tab role yet (the accessibility fix of issue 11 adds it): found by test id.
  await byRole(page, "tab", "app.tabs.phone").click();
  for (let i = 0; i < 3; i++) {
    await page.getByRole("button", { name: "Get a phone code from the sandbox" }).click();
    await expect(page.getByTestId("phone-code")).not.toHaveValue("");
    await page.getByRole("button", { name: "Get phone number" }).click();
    await expect(page.getByTestId("phone-number")).toHaveText("13800138000");
  }

  await meter.getByRole("button", { name: "Refresh meter" }).click();
  await expect(meter.getByTestId("meter-month-calls")).toHaveText("3");
  await expect(meter.getByTestId("meter-trial-fast")).toContainText("3 of 1000 trial calls used, 997 left");
  await expect(meter.getByTestId("meter-cost")).toHaveText("¥0.00");
  await expect(meter.getByRole("radio", { name: "Fast verification" })).toBeChecked();
  await shot(page, "meter-authorizer");

  // The dashboard's card lists it, linked to its page.
  await go(page, "dashboard");
  const board = page.getByRole("region", { name: "Phone-number meter" });
  await expect(board.getByTestId("meter-table")).toContainText(appid);
  await shot(page, "meter-dashboard");
});

test("the merchant page keeps notes and tags, re-authorizes and links to its calls", async ({ page, context }) => {
  const appid = await openNewAuthorizer(page, context);
  const tag = `t${appid.slice(-6)}`;

  await page.getByRole("textbox", { name: "Notes" }).fill("Contact: Ms Li, renews in March");
  await page.getByTestId("merchant-tags").getByRole("button", { name: "Add a tag" }).click();
  await page.getByRole("textbox", { name: "Tags" }).fill(tag);
  await page.getByRole("textbox", { name: "Tags" }).press("Enter");
  await page.getByRole("button", { name: "Save notes" }).click();
  await expect(page.getByText("Notes saved")).toBeVisible();

  await page.getByRole("button", { name: "Make link" }).click();
  await expect(page.getByTestId("merchant-reauth-url")).toContainText(`biz_appid=${appid}`);

  // Its calls: the log filtered by its appid.
  await page.getByRole("button", { name: "Its calls" }).click();
  await expect(page.getByTestId("calls-filter-account")).toHaveValue(appid);

  // The merchants list finds it by its tag, with its full name and token expiry.
  await go(page, "authorizers");
  await page.getByTestId("authorizers-search").fill(tag);
  const row = page.getByTestId(`authorizer-row-${appid}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(tag);
  await expect(page.locator('[data-testid^="authorizer-row-"]')).toHaveCount(1);
  await shot(page, "merchants-list-tag");
});
