// Browser-mode login: the printed URL logs one browser in, once (global-setup
// used it). A browser without that session gets a page saying how to get in,
// never raw JSON.
import { expect, test } from "@playwright/test";
import { deskUrl, openDesk } from "../helpers";

test("without a session the desk says how to get in; the printed URL works only once", async ({ page }) => {
  const printed = process.env.WXDESK_E2E_URL;
  if (!printed) throw new Error("WXDESK_E2E_URL is not set (global-setup)");

  const plain = await page.goto(deskUrl());
  expect(plain?.status()).toBe(401);
  await expect(page.getByTestId("login-needed")).toBeVisible();
  await expect(page.getByRole("heading", { name: "wxdesk needs you to sign in" })).toBeVisible();
  await expect(page.getByText("run it again")).toBeVisible();
  await expect(page.getByRole("heading", { name: "请先登录 wxdesk" })).toBeVisible();

  // The URL was already used by global-setup's browser: a second browser is refused.
  const again = await page.goto(printed);
  expect(again?.status()).toBe(401);
  await expect(page.getByTestId("login-needed")).toBeVisible();
  expect(await page.context().cookies()).toEqual([]);

  // With the session of the browser that logged in, the desk opens.
  await openDesk(page);
});
