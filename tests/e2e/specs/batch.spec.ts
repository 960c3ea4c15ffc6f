// A batch over twenty sandbox merchants through the UI alone: the sandbox
// plays twenty mini programs authorizing the platform (Sync brings them in),
// the platform's domain list and a template, a release profile with domains
// and a privacy guide applied to every merchant, one merchant's next audit
// forced to fail, then commit + submit + release over the twenty — cancelled
// while it runs, resumed — ending with 19 released and 1 failed, the
// rejection reason in the result table, and its screenshot on the merchant's page.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { byRole, ensureTicket, findRelease, openDemoComponent, shot, startSandbox } from "../helpers";

test.use({ actionTimeout: 20_000 });

const HOST = "api.shop-batch-demo.com";
const REASON = "小程序内容不完整 / incomplete content";

/**
 * Picks `value` in a filterable Naive UI select: type it, take the matching option, close the menu.
 * The click lands at the select's top right corner, clear of the chosen tags: a click at its centre
 * can hit a tag's close button once several are chosen (and drop that merchant).
 */
async function pick(page: Page, select: Locator, value: string): Promise<void> {
  const box = await select.boundingBox();
  if (!box) throw new Error("the select is not on screen");
  await select.click({ position: { x: box.width - 12, y: 12 } });
  await page.keyboard.type(value);
  await page.locator(".n-base-select-option:visible", { hasText: value }).first().click();
  await page.keyboard.press("Escape");
}

test("a batch over 20 merchants: one rejected, cancelled, resumed, 19 released", async ({ page }) => {
  test.setTimeout(240_000);
  const demo = await startSandbox(page);
  await openDemoComponent(page, demo);
  await ensureTicket(page);

  // ------------------------------------------------------------ the platform: domains and a template
  await page.getByRole("link", { name: "Releases" }).click();
  await expect(page.getByTestId("releases-header")).toBeVisible();
  await byRole(page, "tab", "releases.tabs.platform").click();
  await page.getByRole("textbox", { name: "Add domain" }).fill(HOST);
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByTestId("platform-domains-list")).toContainText(HOST);

  await byRole(page, "tab", "releases.tabs.templates").click();
  const drafts = page.waitForResponse((r) => r.url().endsWith("/api/op/template_drafts"));
  await page.getByRole("button", { name: "Upload a draft (sandbox)" }).click();
  await drafts;
  await page.getByTestId("template-drafts").getByRole("button", { name: "Make template" }).first().click();
  // A template row, not the empty line.
  await expect(page.getByTestId("template-list").locator("tbody tr.grid__row").first()).toBeVisible();

  // ------------------------------------------------------------ twenty merchants authorize (sandbox), synced
  await byRole(page, "tab", "releases.tabs.batches").click();
  const sandbox = page.getByTestId("batch-sandbox");
  await sandbox.getByRole("spinbutton", { name: "Merchants to add" }).fill("20");
  await sandbox.getByRole("spinbutton", { name: "Their audits take (seconds)" }).fill("3");
  const seededResponse = page.waitForResponse((r) => r.url().endsWith("/api/op/sandbox_seed_merchants"));
  await sandbox.getByRole("button", { name: "Add merchants (sandbox)" }).click();
  const seeded = (await (await seededResponse).json()) as { appids?: string[]; result?: { appids: string[] } };
  const appids = seeded.appids ?? seeded.result?.appids ?? [];
  expect(appids).toHaveLength(20);
  await expect(page.getByTestId("batch-sandbox-seeded")).toContainText("20 mini programs");

  // One merchant's next audit is rejected, with a reason.
  const rejected = appids[7];
  await pick(page, sandbox.getByTestId("batch-sandbox-merchant"), rejected);
  await sandbox.getByRole("spinbutton", { name: "Audit takes (seconds)" }).fill("3");
  await sandbox.getByRole("textbox", { name: "Rejection reason" }).fill(REASON);
  await sandbox.getByRole("button", { name: "Set next audit (sandbox)" }).click();
  await expect(page.getByTestId("batch-sandbox-planned")).toContainText(rejected);

  // ------------------------------------------------------------ a profile, applied to every merchant
  const profiles = page.getByTestId("batch-profiles");
  await profiles.getByRole("button", { name: "New profile" }).click();
  const form = page.getByTestId("batch-profile-form");
  await form.getByRole("textbox", { name: "Profile name" }).fill("shop");
  await expect(form.getByTestId("batch-profile-template")).toContainText("#");
  await form.getByRole("textbox", { name: "ext_json" }).fill('{"extAppid": "{{appid}}", "ext": {"name": "{{nickname}}"}}');
  await form.getByRole("textbox", { name: "Request domains (one per line)" }).fill(`https://${HOST}`);
  await form.getByRole("textbox", { name: "Privacy purposes (Key: purpose, one per line)" }).fill("UserInfo: To show the member's profile");
  await form.getByRole("textbox", { name: "Privacy contact email" }).fill("privacy@shop-batch-demo.com");
  await form.getByRole("textbox", { name: "How users are notified" }).fill("A pop-up in the mini program");
  await form.getByRole("button", { name: "Save profile" }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId("batch-profile-list")).toContainText("shop");
  await profiles.getByRole("button", { name: "Apply profile shop to all merchants" }).click();
  await expect(page.getByTestId("batch-profile-applied")).toContainText("0 failed");

  // ------------------------------------------------------------ run over the twenty, cancel, resume
  const run = page.getByTestId("batch-run");
  await run.getByText("Chosen merchants").click();
  await expect(run.getByRole("radio", { name: "Chosen merchants" })).toBeChecked();
  for (const appid of appids) await pick(page, run.getByTestId("batch-run-merchants"), appid);
  await run.getByRole("spinbutton", { name: "Merchants at once" }).fill("4");
  await run.getByRole("button", { name: "Run batch" }).click();
  await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  await page.getByTestId("confirm-ok").click();

  const detail = page.getByTestId("batch-detail");
  await expect(detail.getByTestId("batch-state")).toHaveAttribute("data-state", "running");
  await expect(detail.getByTestId("batch-items").locator("tbody tr")).toHaveCount(20);
  await shot(page, "batch-running");
  await detail.getByRole("button", { name: "Cancel batch" }).click();
  await expect(detail.getByTestId("batch-state")).toHaveAttribute("data-state", "cancelled", { timeout: 30_000 });
  const stopped = await detail.getByTestId("batch-progress-text").innerText();
  expect(stopped).not.toContain("20 done");

  await detail.getByRole("button", { name: "Resume batch" }).click();
  await expect(detail.getByTestId("batch-state")).toHaveAttribute("data-state", "done", { timeout: 150_000 });
  await expect(detail.getByTestId("batch-progress-text")).toHaveText("19 done, 1 failed, of 20");
  await expect(detail.getByTestId(`batch-phase-${rejected}`)).toHaveAttribute("data-phase", "failed");
  const row = detail.getByTestId("batch-items").locator("tbody tr", { has: page.getByTestId(`batch-phase-${rejected}`) });
  await expect(row).toContainText(REASON);
  for (const appid of appids.filter((a) => a !== rejected)) {
    await expect(detail.getByTestId(`batch-phase-${appid}`)).toHaveAttribute("data-phase", "done");
  }
  await shot(page, "batch-done");

  // The Merchants tab (loaded afresh: it was listed before the seeding) shows the same: 19 released.
  await page.reload();
  await byRole(page, "tab", "releases.tabs.merchants").click();
  for (const appid of appids.filter((a) => a !== rejected)) {
    await findRelease(page, appid);
    await expect(page.getByTestId(`release-stage-${appid}`)).toHaveText("Released");
  }

  // The rejected merchant's page shows the reason and the reviewer's
  // screenshot as an image (fetched by its media id), large on a click.
  await findRelease(page, rejected);
  await page.getByTestId(`release-open-${rejected}`).click();
  await expect(page.getByTestId("release-audit-reason")).toHaveText(REASON);
  const thumb = page.getByTestId("release-audit-screenshot-0");
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await thumb.click();
  await expect(page.locator(".n-image-preview")).toBeVisible();
  await shot(page, "batch-rejection-screenshot");
  await page.keyboard.press("Escape");
});
