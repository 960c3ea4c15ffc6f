// A sandbox merchant from authorized to released through the UI alone: the
// platform's domain list, a draft made a template, a commit, a tester who
// scans the experience QR (decoded here from the PNG on screen), the
// privacy guide, a readiness check that first fails and passes once its fix
// is applied, the submission, the audit's push (WeChat's side played by the
// sandbox card), and the release.
import { expect, test, type Page } from "@playwright/test";

test.use({ actionTimeout: 20_000 });
import jsQR from "jsqr";
import { authorizeMerchant, byRole, ensureTicket, findRelease, openDemoComponent, shot, startSandbox } from "../helpers";

/** Reads the QR code in an <img> on the page: its pixels through a canvas, decoded by jsQR. */
async function decodeQr(page: Page, testid: string): Promise<string> {
  const img = page.getByTestId(testid);
  await expect(img).toHaveJSProperty("complete", true);
  const { width, height, data } = await img.evaluate((el: HTMLImageElement) => {
    const c = document.createElement("canvas");
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(el, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height);
    return { width: px.width, height: px.height, data: Array.from(px.data) };
  });
  const code = jsQR(Uint8ClampedArray.from(data), width, height);
  expect(code, "the experience QR decodes").not.toBeNull();
  return code!.data;
}

test("a merchant from authorized to released, through the UI alone", async ({ page, context }) => {
  test.setTimeout(180_000);
  const demo = await startSandbox(page);
  await openDemoComponent(page, demo);
  await ensureTicket(page);
  const merchant = await authorizeMerchant(page, context, "pc");
  const appid = merchant.authorizerAppid;

  // ------------------------------------------------------------ Releases: the platform's side
  await page.getByRole("link", { name: "Releases" }).click();
  await expect(page.getByTestId("releases-header")).toBeVisible();
  await findRelease(page, appid);
  await expect(page.getByTestId(`release-open-${appid}`)).toBeVisible();

  await byRole(page, "tab", "releases.tabs.platform").click();
  await page.getByRole("textbox", { name: "Add domain" }).fill("api.merchant-demo.com");
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByTestId("platform-domains-list")).toContainText("api.merchant-demo.com");

  await byRole(page, "tab", "releases.tabs.templates").click();
  const drafts = page.waitForResponse((r) => r.url().endsWith("/api/op/template_drafts"));
  await page.getByRole("button", { name: "Upload a draft (sandbox)" }).click();
  await drafts;
  const makeTemplate = page.getByTestId("template-drafts").getByRole("button", { name: "Make template" }).first();
  await makeTemplate.click();
  // A template row, not the empty line.
  await expect(page.getByTestId("template-list").locator("tbody tr.grid__row").first()).toBeVisible();
  await shot(page, "releases-templates");

  // ------------------------------------------------------------ the merchant's road
  await byRole(page, "tab", "releases.tabs.merchants").click();
  await expect(page.getByTestId("releases-search")).toHaveValue(appid);
  await page.getByTestId(`release-open-${appid}`).click();
  await expect(page.getByTestId("release-header")).toBeVisible();

  // Code: commit the template.
  const code = page.getByTestId("release-code");
  await expect(code.getByRole("combobox", { name: "Template" })).toHaveValue(/^\d+$/);
  await code.getByRole("textbox", { name: "Version" }).fill("1.0.0");
  await code.getByRole("textbox", { name: "Description" }).fill("First release");
  await code.getByRole("button", { name: "Commit" }).click();
  await expect(page.getByTestId("release-stage")).toHaveAttribute("data-stage", "experience");
  await expect(page.getByTestId("release-experience")).toHaveText("1.0.0");

  // A tester, then the experience QR: only a bound tester may open it.
  const testers = page.getByTestId("release-testers");
  await testers.getByRole("textbox", { name: "Tester’s WeChat ID" }).fill("zhang_san_test");
  await testers.getByRole("button", { name: "Bind tester" }).click();
  await expect(testers.getByTestId("release-testers-list")).toBeVisible();
  await testers.getByRole("button", { name: "Scan as this tester (sandbox)" }).click();
  await expect(page.getByTestId("release-tester-scan-result")).toHaveAttribute("data-result", "ok");

  await code.getByRole("button", { name: "Show experience QR" }).click();
  const qrText = await decodeQr(page, "release-qr-image");
  expect(qrText).toMatch(/^https?:\/\//);
  expect(qrText).toContain(appid);
  await shot(page, "release-experience-qr");

  // The privacy guide: declare every key the code uses.
  const privacy = page.getByTestId("release-privacy");
  const purposes = privacy.getByRole("textbox", { name: /^Purpose of / });
  await expect(purposes.first()).toBeVisible();
  for (const box of await purposes.all()) await box.fill("To show the member's profile");
  await privacy.getByRole("textbox", { name: "Contact email" }).fill("privacy@merchant-demo.com");
  await privacy.getByRole("textbox", { name: "How users are notified" }).fill("A pop-up in the mini program");
  await privacy.getByRole("button", { name: "Save privacy guide" }).click();
  await expect(privacy.getByText("Not declared")).toHaveCount(0);

  // The readiness check fails (no server domain), its fix is applied, then it passes.
  const check = page.getByTestId("release-check");
  await check.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("release-check-blocked")).toBeVisible();
  await expect(page.getByTestId("finding-no_server_domain")).toBeVisible();
  await shot(page, "release-check-failed");
  await page.getByTestId("finding-apply-no_server_domain").click();
  await expect(page.getByTestId("release-check-ready")).toBeVisible();
  await expect(page.getByTestId("release-domain-requestdomain")).toHaveValue(/https:\/\/api\.merchant-demo\.com/);

  // Submit; WeChat's reviewers (the sandbox) pass it after a few seconds and push the result.
  const audit = page.getByTestId("release-audit");
  await audit.getByRole("spinbutton", { name: "Audit duration in seconds" }).fill("2");
  await audit.getByRole("button", { name: "Set next audit" }).click();
  await audit.getByRole("button", { name: "Submit for audit" }).click();
  await expect(page.getByTestId("release-stage")).toHaveAttribute("data-stage", "auditing");
  await expect(page.getByTestId("release-audit-status")).toHaveAttribute("data-status", "auditing");
  await expect(async () => {
    await audit.getByRole("button", { name: "Deliver WeChat’s pushes" }).click();
    await expect(page.getByTestId("release-stage")).toHaveAttribute("data-stage", "audited", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("release-audit-status")).toHaveAttribute("data-status", "success");

  // A screen opened from a scrolled one starts at its top (the shell's pane scrolls, not the window).
  const pane = page.locator(".shell__scroller");
  const scrolled = await pane.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
    return el.scrollTop;
  });
  expect(scrolled, "the merchant's release page is taller than the window").toBeGreaterThan(0);
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("settings-environment")).toBeVisible();
  const settings = await pane.evaluate((el) => ({ top: el.scrollTop, tall: el.scrollHeight > el.clientHeight }));
  expect(settings, "Settings (taller than the window) opens at its top").toEqual({ top: 0, tall: true });
  await page.goBack();
  await expect(page.getByTestId("release-header")).toBeVisible();
  // The push is in the inbox, applied.
  await page.getByTestId("nav-inbox").click();
  await expect(page.getByText("weapp_audit_success").first()).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("release-header")).toBeVisible();

  // Release (confirmed).
  await page.getByTestId("release-release").getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("confirm-dialog")).toBeVisible();
  await page.getByTestId("confirm-ok").click();
  await expect(page.getByTestId("release-stage")).toHaveAttribute("data-stage", "released");
  await expect(page.getByTestId("release-released")).toHaveText("1.0.0");
  await shot(page, "release-released");
});
