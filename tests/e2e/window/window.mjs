// The real Tauri window, driven through WebKitWebDriver under Xvfb:
// launch the app on a fresh database pointed at a sandbox, add a mini program,
// show its token, and save a screenshot.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createServer } from "node:net";
import { WebDriver } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../../..");
const wxdesk = process.env.WXDESK_BIN ?? join(root, "target/debug/wxdesk");
const app = process.env.WXDESK_APP_BIN ?? join(root, "target/debug/wxdesk-app");
const artifacts = join(root, "tests/artifacts");
mkdirSync(artifacts, { recursive: true });

const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

function firstLines(child, n) {
  return new Promise((ok, fail) => {
    let buf = "";
    const timer = setTimeout(() => fail(new Error(`no output: ${buf}`)), 30_000);
    child.stdout.on("data", (d) => {
      buf += d.toString();
      const lines = buf.split("\n");
      if (lines.length > n) {
        clearTimeout(timer);
        ok(lines.slice(0, n));
      }
    });
    child.on("exit", (code) => fail(new Error(`exited ${code}: ${buf}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), "wxdesk-window-"));
const db = join(dir, "window.db");
const env = { ...process.env, WXDESK_KEYRING: "off", WXDESK_DB: db };
const children = [];
let passed = 0;
let failed = 0;
const driver = new WebDriver("");
try {
  // 1. A sandbox, and a database whose saved environment points at it.
  const sandbox = spawn(wxdesk, ["sandbox", "--json"], { env, stdio: ["ignore", "pipe", "inherit"] });
  children.push(sandbox);
  const [base, info] = await firstLines(sandbox, 2);
  const demo = JSON.parse(info).demo;
  const set = spawnSync(wxdesk, ["env", "set", "sandbox", "--base", base.trim(), "--json"], { env, encoding: "utf8" });
  if (set.status !== 0) throw new Error(`env set failed: ${set.stdout} ${set.stderr}`);

  // 2. WebKitWebDriver launching the real app binary.
  const port = await freePort();
  const wd = spawn("WebKitWebDriver", [`--port=${port}`], {
    env: { ...env, TAURI_WEBVIEW_AUTOMATION: "true" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(wd);
  driver.base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${driver.base}/status`);
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await driver.start({ "webkitgtk:browserOptions": { binary: app, args: [] } });

  // 3. Add the sandbox's demo mini program through the UI.
  await driver.click('[data-testid="nav-apps"]');
  await driver.click('[data-testid="apps-add"]');
  await driver.type('[data-testid="app-form-appid"]', demo.mini_program_appid);
  await driver.type('[data-testid="app-form-secret"]', demo.mini_program_secret);
  await driver.type('[data-testid="app-form-name"]', "Window test");
  await driver.click('[data-testid="app-form-submit"]');
  await driver.waitText('[data-testid="app-appid"]', new RegExp(demo.mini_program_appid));

  // 4. Its token: masked, with a countdown.
  await driver.click('[data-testid="app-tab-token"]');
  await driver.click('[data-testid="token-get"]');
  const masked = await driver.waitText('[data-testid="token-value"]', /\S/);
  if (masked.length > 40) throw new Error(`the token is shown unmasked: ${masked.length} characters`);
  await driver.find('[data-testid="token-countdown"]');
  const shot = await driver.screenshot();
  writeFileSync(join(artifacts, "window-app-token.png"), shot);
  console.log(`window: token shown (${masked}), screenshot ${shot.length} bytes`);
  passed += 1;
} catch (e) {
  console.error(`window: FAILED: ${e.stack ?? e}`);
  try {
    writeFileSync(join(artifacts, "window-failure.png"), await driver.screenshot());
  } catch {}
  failed += 1;
} finally {
  await driver.stop();
  for (const c of children.reverse()) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
console.log(`window: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
