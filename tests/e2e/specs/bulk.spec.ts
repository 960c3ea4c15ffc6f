// Many merchants at once: authorize a few through the wizard, Sync the list
// from WeChat (the sandbox demo platform already has one authorizer the desk
// has not seen), refresh the due tokens (only the synced merchant's), then
// force-refresh every authorizer token after a dialog that names the number
// of calls, with the progress bar running to done and a report at the end,
// and fetch the profile of the merchant the sync added (all missing ones in
// one job from the list, then again on request from its page).
import { expect, test, type Page } from "@playwright/test";
import { authorizeMerchant, ensureTicket, go, openDemoComponent, shot, startSandbox } from "../helpers";

/**
 * The merchant's row, found by searching for its AppID: the desk may list
 * other merchants too (the specs share one desk, and batch.spec adds twenty),
 * so a row is never looked for by its position in a scrolled list.
 */
async function findRow(page: Page, appid: string) {
  const listed = listedFor(page, appid);
  await page.getByTestId("authorizers-search").fill(appid);
  await listed;
  const row = page.getByTestId(`authorizer-row-${appid}`);
  await expect(row).toBeVisible();
  return row;
}

/** Clears the search: the list shows every merchant again. */
async function clearSearch(page: Page) {
  const listed = listedFor(page, null);
  await page.getByTestId("authorizers-search").fill("");
  await listed;
}

/**
 * The list's answer to this very search (`null`: no search), not to an
 * earlier one still in flight or a reload after a job: waiting for any
 * answer could read the count of the previous, narrower search.
 */
function listedFor(page: Page, search: string | null) {
  return page.waitForResponse((r) => {
    if (!r.url().endsWith("/api/op/authorizer_page")) return false;
    const args = r.request().postDataJSON() as { search?: string | null } | null;
    return (args?.search ?? null) === search;
  });
}

test("sync authorizers and refresh them all, with progress and a report", async ({ page, context }) => {
  const demo = await startSandbox(page);
  await openDemoComponent(page, demo);
  await ensureTicket(page);

  // Two more merchants through the wizard.
  const added: string[] = [];
  for (const kind of ["pc", "h5"] as const) {
    added.push((await authorizeMerchant(page, context, kind)).authorizerAppid);
  }

  // ------------------------------------------------------------ Sync from WeChat
  await go(page, "authorizers");
  // The only platform is preselected, so Sync and Refresh all are enabled.
  await expect(page.getByTestId("authorizers-filter-component")).toHaveValue(demo.componentAppid);
  await expect(page.getByTestId("authorizers-sync")).toBeEnabled();
  const listed = page.waitForResponse((r) => r.url().endsWith("/api/op/authorizer_page"));
  await page.getByTestId("authorizers-sync").click();
  await expect(page.getByTestId("sync-progress")).toBeVisible();
  await expect(page.getByTestId("sync-progress")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("sync-count")).toBeVisible();
  await expect(page.getByTestId("sync-report")).toBeVisible();
  await expect(page.getByTestId("sync-error")).toHaveCount(0);
  await listed;
  // The demo authorizer the desk had never seen is now listed, with the ones from the wizard.
  for (const appid of [demo.authorizerAppid, ...added]) await findRow(page, appid);
  // It came with its refresh token only: the table says its profile is missing.
  await expect(await findRow(page, demo.authorizerAppid)).toContainText("Profile not fetched yet");
  await clearSearch(page);
  // One job fetches every missing profile, with progress and a report, so no row stays without a name.
  await page.getByRole("button", { name: "Fetch missing profiles" }).click();
  await expect(page.getByTestId("profiles-progress")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("profiles-report")).toContainText(/[1-9]\d* fetched, 0 failed/);
  await expect(page.getByTestId("profiles-missing")).toHaveCount(0);
  await expect(await findRow(page, demo.authorizerAppid)).not.toContainText("Profile not fetched yet");
  await shot(page, "authorizers-fetch-missing");
  await clearSearch(page);
  const total = Number((await page.getByTestId("authorizers-count").innerText()).match(/\d+/)?.[0]);
  expect(total).toBeGreaterThanOrEqual(3);

  // ------------------------------------------------------------ Refresh due tokens
  // Only missing or expiring tokens are renewed: the merchants from the
  // wizard hold valid tokens and are skipped, the synced one gets its first.
  await expect(page.getByTestId("authorizers-refresh-all")).toBeEnabled();
  await page.getByTestId("authorizers-refresh-all").click();
  await expect(page.getByTestId("refresh-progress")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("refresh-report")).toContainText("still valid skipped");

  // ------------------------------------------------------------ Force-refresh all
  // A separate action: the dialog says how many calls it makes first.
  await page.getByTestId("authorizers-force-all").click();
  await expect(page.getByTestId("confirm-dialog")).toContainText(`${total} api_authorizer_token calls`);
  await page.getByTestId("confirm-ok").click();
  const progress = page.getByTestId("refresh-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("refresh-error")).toHaveCount(0);
  // The bar is full and the count is every active authorizer.
  await expect(progress.locator(".plain-progress")).toHaveAttribute("aria-valuenow", "100");
  const count = (await page.getByTestId("refresh-count").innerText()).match(/(\d+)\D+(\d+)/);
  expect(count, "refresh count reads done / total").not.toBeNull();
  expect(Number(count![1])).toBe(Number(count![2]));
  expect(Number(count![2])).toBeGreaterThanOrEqual(3);
  const report = page.getByTestId("refresh-report");
  await expect(report).toBeVisible();
  await expect(report).not.toContainText(/cancel/i);
  await expect(report.locator("li")).toHaveCount(0); // no failures listed
  await expect(page.getByTestId("refresh-cancel")).toHaveCount(0); // nothing left to cancel
  await shot(page, "authorizers-bulk-refresh");

  // Each refreshed merchant now holds a token: asking for it is answered
  // from the desk's cache, without another call to WeChat.
  await (await findRow(page, demo.authorizerAppid)).click();
  await expect(page.getByTestId("authorizer-appid")).toHaveText(demo.authorizerAppid);
  await page.getByTestId("authorizer-token-get").click();
  await expect(page.getByTestId("authorizer-token-source")).toHaveText("Local cache");
  await expect(page.getByTestId("authorizer-token-countdown")).toHaveAttribute("data-level", "ok");

  // Sync stores a merchant with its refresh token only; its profile (name,
  // account type, permissions) is fetched from WeChat on request.
  const fetched = page.waitForResponse((r) => r.url().endsWith("/api/op/authorizer_refresh_info"));
  await page.getByTestId("authorizer-info-refresh").click();
  expect((await fetched).ok()).toBe(true);
  await expect(page.getByTestId("authorizer-info-error")).toHaveCount(0);
  await expect(page.getByTestId("authorizer-profile-missing")).toHaveCount(0);
  await expect(page.getByTestId("authorizer-name")).not.toHaveText("(unnamed)");
  await expect(page.getByTestId("authorizer-name")).not.toHaveText("");
  // The raw answer WeChat gave is kept, behind a fold.
  await page.locator(".raw .n-collapse-item__header").click();
  await expect(page.getByTestId("authorizer-info-json")).toContainText("nick_name");
});
