// Runs the browser specs and the real-window test, then prints one tally line.
import { spawnSync } from "node:child_process";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  return { status: r.status ?? 1, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

const count = (out, word) => {
  const m = out.match(new RegExp(`(\\d+) ${word}`));
  return m ? Number(m[1]) : 0;
};

const browser = run("npx", ["playwright", "test"]);
let passed = count(browser.out, "passed");
let failed = count(browser.out, "failed") + (browser.status !== 0 && count(browser.out, "failed") === 0 ? 1 : 0);

const win = run("xvfb-run", ["-a", "-s", "-screen 0 1440x900x24", "node", "window/window.mjs"]);
passed += count(win.out, "passed");
failed += count(win.out, "failed") + (win.status !== 0 && count(win.out, "failed") === 0 ? 1 : 0);

console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
