// `wxdesk receive` finishes onboarding by itself, seen in the UI alone: a
// local receiver shares the desk's database (as on a server, beside the
// operator's `wxdesk serve`), the sandbox's platform pushes to it, the
// platform's receive URL is set on its page, the wizard hands out the
// permanent link, the merchant opens it and consents on the sandbox consent
// page — and, with nothing pasted, the Push inbox lists the `authorized`
// push as applied and the merchant is in the platform's authorizers.
import { expect, test, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { go, openDemoComponent, startSandbox, type Demo } from "../helpers";

/** Starts `wxdesk receive --listen 127.0.0.1:0` on the desk's database; resolves its base URL. */
async function startReceive(demo: Demo): Promise<{ child: ChildProcess; base: string }> {
  const db = process.env.WXDESK_E2E_DB;
  const bin = process.env.WXDESK_E2E_BIN;
  if (!db || !bin) throw new Error("WXDESK_E2E_DB / WXDESK_E2E_BIN are not set: run through playwright.config.ts");
  const child = spawn(bin, ["receive", "--listen", "127.0.0.1:0", "--db", db, "--env", "sandbox", "--sandbox-base", demo.sandboxBase], {
    env: { ...process.env, WXDESK_KEYRING: "off" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base: string = await new Promise((ok, fail) => {
    let buf = "";
    const timer = setTimeout(() => fail(new Error(`wxdesk receive did not print its URL: ${buf}`)), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("\n")) {
        clearTimeout(timer);
        ok(buf.split("\n")[0].trim());
      }
    });
    child.on("exit", (code) => fail(new Error(`wxdesk receive exited with ${code}: ${buf}`)));
  });
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return { child, base };
}

/**
 * Opens the sandbox console from Settings (logged in by its one-time link)
 * and, from that page, points the demo platform's pushes at the receiver —
 * what an operator does in the WeChat console ("授权事件接收URL").
 */
async function pointPushesAt(page: Page, demo: Demo, receiveBase: string): Promise<Page> {
  // Idempotent: the sandbox runs already; this shows its console button again.
  await page.getByRole("button", { name: "Use the offline sandbox" }).click();
  const [consoleTab] = await Promise.all([
    page.context().waitForEvent("page"),
    page.getByRole("button", { name: "Open the sandbox console" }).click(),
  ]);
  await consoleTab.waitForLoadState();
  await expect(consoleTab.locator("body")).toContainText(demo.componentAppid);
  const status = await consoleTab.evaluate(
    async ([seed]) => {
      const r = await fetch("/__sandbox/components", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(seed) });
      return r.status;
    },
    [
      {
        appid: demo.componentAppid,
        secret: demo.componentSecret,
        token: demo.componentToken,
        encoding_aes_key: demo.componentAesKey,
        push_url: `${receiveBase}/wechat/component/${demo.componentAppid}`,
      },
    ] as const,
  );
  expect(status).toBe(200);
  return consoleTab;
}

test("receive: the permanent link onboards a merchant with no paste, shown in the inbox", async ({ page, context }) => {
  const demo = await startSandbox(page);
  await openDemoComponent(page, demo);
  const { child, base } = await startReceive(demo);
  try {
    await go(page, "settings");
    const consoleTab = await pointPushesAt(page, demo, base);

    // The sandbox pushes a ticket to the receiver (no paste), which stores it.
    await consoleTab.getByRole("button", { name: /推送新 ticket Push/ }).click();
    await expect(consoleTab.locator("#results")).toContainText('"delivered": 200');
    await consoleTab.close();

    // The platform page: set its receive URL; the console settings appear.
    await openDemoComponent(page, demo);
    await page.getByRole("button", { name: /receive URL/ }).click();
    await page.getByRole("textbox", { name: "Receive URL (wxdesk receive)" }).fill(base);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`${base}/wechat/component/${demo.componentAppid}`)).toBeVisible();
    await expect(page.getByText(`${base}/wechat/message/${demo.componentAppid}/$APPID$`)).toBeVisible();
    await expect(page.getByTestId("ticket-age")).toHaveAttribute("data-valid", "true");

    // The wizard offers the permanent link and its QR code.
    await page.getByRole("button", { name: "Authorize a merchant" }).click();
    await page.getByRole("button", { name: "Show permanent link and QR code" }).click();
    const link = (await page.getByTestId("wizard-permanent-link").innerText()).trim();
    expect(link).toBe(`${base}/wechat/authorize/${demo.componentAppid}?type=pc`);
    await expect(page.getByTestId("permanent-qr-image")).toHaveAttribute("data-text", link);

    // The merchant opens it: the launch page, then the sandbox consent page.
    const merchant = await context.newPage();
    await merchant.goto(link);
    await merchant.getByRole("link", { name: /Authorize/ }).click();
    await expect(merchant.getByRole("button", { name: /Authorize/ })).toBeVisible();
    const authorizer = (await merchant.locator("#authorizer_appid").inputValue()).trim();
    expect(authorizer).toMatch(/^wx[0-9a-f]{16}$/);
    await merchant.getByRole("button", { name: /Authorize/ }).click();
    // Back on the receiver's own page, which stored the merchant.
    await expect(merchant).toHaveURL(new RegExp(`^${base.replace(/[.]/g, "\\.")}/wechat/authorized/`));
    await expect(merchant.locator("body")).toContainText(/authorized/i);
    await merchant.close();
    await page.bringToFront();

    // The Push inbox lists the `authorized` push, applied — nothing was pasted.
    await page.getByRole("link", { name: "Push inbox" }).click();
    const row = page.getByRole("row").filter({ hasText: "authorized" }).filter({ hasText: authorizer });
    await expect(async () => {
      await page.getByRole("button", { name: "Reload" }).click();
      await expect(row).toContainText("applied", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByRole("row").filter({ hasText: "component_verify_ticket" }).first()).toContainText("applied");

    // And the merchant is among the platform's authorizers.
    await page.getByRole("link", { name: "Authorizers" }).click();
    await expect(page.getByRole("row").filter({ hasText: authorizer })).toBeVisible();
  } finally {
    child.kill("SIGINT");
  }
});
