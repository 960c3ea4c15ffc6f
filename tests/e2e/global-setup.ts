// Starts `wxdesk serve` on a fresh database for the whole run and tears it down after.
// Each spec switches to the embedded sandbox through the UI, as a newcomer would.
//
// The URL `wxdesk serve` prints logs one browser in, once (a second use answers
// 401). So this setup opens it once in Chromium, as an operator would, checks the
// token left the address bar, and hands the session cookie it got to every spec
// (WXDESK_E2E_COOKIES; helpers.ts `openDesk` adds it to each fresh context).
import { chromium, type FullConfig } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";

const root = resolve(import.meta.dirname, "../..");

export default async function globalSetup(config: FullConfig) {
  const dir = mkdtempSync(join(tmpdir(), "wxdesk-e2e-"));
  const token = randomBytes(24).toString("hex");
  const bin = process.env.WXDESK_BIN ?? join(root, "target/debug/wxdesk");
  const child = spawn(bin, ["serve", "--port", "0", "--db", join(dir, "e2e.db"), "--ui-dir", join(root, "ui/dist")], {
    env: { ...process.env, WXDESK_KEYRING: "off", WXDESK_SERVE_TOKEN: token },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url: string = await new Promise((ok, fail) => {
    let buf = "";
    const timer = setTimeout(() => fail(new Error(`wxdesk serve did not print its URL: ${buf}`)), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const line = buf.split("\n")[0];
      if (buf.includes("\n")) {
        clearTimeout(timer);
        ok(line.trim());
      }
    });
    child.on("exit", (code) => fail(new Error(`wxdesk serve exited with ${code}: ${buf}`)));
  });
  const u = new URL(url);
  process.env.WXDESK_E2E_BASE = `${u.protocol}//${u.host}`;
  process.env.WXDESK_E2E_URL = url;
  process.env.WXDESK_E2E_TOKEN = token;
  // Specs that start a second process on the same desk (`wxdesk receive`).
  process.env.WXDESK_E2E_DB = join(dir, "e2e.db");
  process.env.WXDESK_E2E_BIN = bin;
  process.env.WXDESK_E2E_COOKIES = JSON.stringify(await logInOnce(url, config));
  return async () => {
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Opens the printed URL in Chromium (the one login it allows) and returns the session cookies. */
async function logInOnce(url: string, config: FullConfig) {
  const browser = await chromium.launch(config.projects[0]?.use.launchOptions);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(url);
    if (!res?.ok()) throw new Error(`logging in with the printed URL answered ${res?.status()}`);
    if (new URL(page.url()).searchParams.has("token")) throw new Error(`the token stayed in the address bar: ${page.url()}`);
    const cookies = await context.cookies();
    if (!cookies.some((c) => c.name.startsWith("wxdesk_session_"))) {
      throw new Error(`no session cookie after login: ${cookies.map((c) => c.name).join(", ")}`);
    }
    return cookies;
  } finally {
    await browser.close();
  }
}
