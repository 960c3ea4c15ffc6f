// Layout checks a new user tripped over:
//  - the Add mini program and Add platform dialogs with errors showing: the
//    help text and every error line stay apart (no overlapping boxes), in
//    both languages and both themes, each kept as a screenshot artifact
//    (tests/artifacts/screenshots/dialog-*.png);
//  - English detail tables never break a label inside a word ("Accou/nt
//    type"): every word of every label lies on one line.
import { expect, test, type Page } from "@playwright/test";
import { go, openDemoApp, setLanguage, setTheme, shot, startSandbox, type Lang } from "../helpers";

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Boxes of the help texts and of the visible error lines inside `dialog`. */
async function helpAndErrors(page: Page, dialog: string): Promise<{ help: Box[]; errors: Box[] }> {
  const boxes = async (sel: string) => {
    const out: Box[] = [];
    for (const el of await page.locator(`[data-testid="${dialog}"] ${sel}`).all()) {
      if (!(await el.isVisible())) continue;
      const b = await el.boundingBox();
      if (b && b.height > 0) out.push(b);
    }
    return out;
  };
  return { help: await boxes(".form-help"), errors: await boxes(".n-form-item-feedback--error, .n-form-item-feedback__line") };
}

for (const lang of ["en", "zh-CN"] as Lang[]) {
  for (const theme of ["light", "dark"] as const) {
    test(`add dialogs keep help and errors apart (${lang}, ${theme})`, async ({ page }) => {
      await startSandbox(page, lang);
      await setTheme(page, theme);
      const cases = [
        { section: "apps" as const, open: "apps-add", dialog: "app-form", fields: { "app-form-appid": "wx12 4!", "app-form-secret": "NOT-A-SECRET" } },
        {
          section: "components" as const,
          open: "components-add",
          dialog: "component-form",
          fields: {
            "component-form-appid": "wx12 4!",
            "component-form-secret": "NOT-A-SECRET",
            "component-form-token": "x",
            "component-form-aes-key": "short",
            "component-form-redirect-uri": "not a url",
          },
        },
      ];
      for (const c of cases) {
        await go(page, c.section);
        await page.getByTestId(c.open).click();
        await expect(page.getByTestId(c.dialog)).toBeVisible();
        for (const [id, v] of Object.entries(c.fields)) await page.getByTestId(id).fill(v);
        await page.getByTestId(`${c.dialog}-submit`).click();
        await expect(page.locator(`[data-testid="${c.dialog}"] .n-form-item-feedback--error`).first()).toBeVisible();
        await page.waitForTimeout(350); // the feedback's enter transition
        const { help, errors } = await helpAndErrors(page, c.dialog);
        expect(help.length, "the dialog has help text").toBeGreaterThan(0);
        expect(errors.length, "errors are showing").toBeGreaterThan(0);
        for (const h of help) for (const e of errors) expect(overlap(h, e), `help ${JSON.stringify(h)} vs error ${JSON.stringify(e)}`).toBe(false);
        await shot(page, `dialog-${c.dialog}-${lang}-${theme}`);
        await page.getByTestId(`${c.dialog}-cancel`).click();
        await expect(page.getByTestId(c.dialog)).toHaveCount(0);
      }
      await setTheme(page, "light");
      await setLanguage(page, "en");
    });
  }
}

test("English detail tables never break a label inside a word", async ({ page }) => {
  const demo = await startSandbox(page, "en");
  await openDemoApp(page, demo);
  await page.getByTestId("token-get").click();
  await expect(page.getByTestId("token-result")).toBeVisible();
  // A narrow window is where labels were squeezed.
  await page.setViewportSize({ width: 1024, height: 800 });
  const broken = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll(".plain-desc__label"))) {
      const text = el.textContent ?? "";
      if (!(el as HTMLElement).offsetParent) continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const s = n.nodeValue ?? "";
        for (const m of s.matchAll(/\S+/g)) {
          const r = document.createRange();
          r.setStart(n, m.index!);
          r.setEnd(n, m.index! + m[0].length);
          const lines = new Set(Array.from(r.getClientRects()).map((b) => Math.round(b.top)));
          if (lines.size > 1) out.push(`${text.trim()} → "${m[0]}"`);
        }
      }
    }
    return out;
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(broken, "labels broken inside a word").toEqual([]);
  const style = await page.locator(".plain-desc__label").first().evaluate((el) => getComputedStyle(el).wordBreak);
  expect(style).toBe("keep-all");
});
