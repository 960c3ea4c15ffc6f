// Starts `wxdesk serve` on a fresh database for the whole run and tears it down after.
// Each spec switches to the embedded sandbox through the UI, as a newcomer would.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";

const root = resolve(import.meta.dirname, "../..");

export default async function globalSetup() {
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
  return async () => {
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
}
