// Dark mode: the header switch and Settings turn the whole window dark (the
// root carries theme-dark and the painted background is dark), "System"
// follows the operating system, and the choice survives a reload.
import { expect, test, type Page } from "@playwright/test";
import { byRole, go, openDesk, setTheme, shot, startSandbox } from "../helpers";

type Rgba = [number, number, number, number];

function parse(css: string): Rgba {
  const m = css.match(/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\s*\)/);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** Relative luminance (WCAG) of an opaque colour. */
function luminance([r, g, b]: Rgba): number {
  const [lr, lg, lb] = [r, g, b].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
}

/**
 * The luminance of what is painted behind the page content, and of the page
 * title's text over it (text colours are translucent in Naive UI: blended
 * over the background). The background reads 0.5 — neither light nor dark —
 * while it is still translucent, i.e. mid-transition.
 */
async function colours(page: Page): Promise<{ background: number; text: number }> {
  const content = page.locator(".content").first();
  await expect(content).toBeVisible();
  const [bgCss, fgCss] = await content.evaluate((el) => {
    // The first ancestor (or self) that paints a background.
    let e: Element | null = el;
    let bg = "rgba(0, 0, 0, 0)";
    while (e) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && !/rgba\(.*,\s*0\)$/.test(c) && c !== "transparent") {
        bg = c;
        break;
      }
      e = e.parentElement;
    }
    const title = document.querySelector("h1") ?? el;
    return [bg, getComputedStyle(title).color];
  });
  const bg = parse(bgCss);
  if (bg[3] < 0.99) return { background: 0.5, text: 0.5 };
  const fg = parse(fgCss);
  const a = fg[3];
  const blended: Rgba = [0, 1, 2].map((i) => a * fg[i]! + (1 - a) * bg[i]!).concat(1) as Rgba;
  return { background: luminance(bg), text: luminance(blended) };
}

test("dark mode from the header and from Settings; System follows the OS", async ({ page }) => {
  await startSandbox(page);
  await go(page, "dashboard");
  await expect(page.getByTestId("theme-light")).toBeVisible();
  // Colours change with a short transition: poll until they settle.
  await expect.poll(async () => (await colours(page)).background).toBeGreaterThan(0.8);
  expect((await colours(page)).text).toBeLessThan(0.2);

  // The header switch.
  await byRole(page, "button", "header.switchTheme").click();
  await expect(page.getByTestId("theme-dark")).toBeVisible();
  await expect(page.getByTestId("theme-light")).toHaveCount(0);
  await expect.poll(async () => (await colours(page)).background).toBeLessThan(0.05);
  await expect.poll(async () => (await colours(page)).text).toBeGreaterThan(0.5);
  await shot(page, "dark-dashboard");

  // Other screens follow (the whole window, not one card).
  await go(page, "apps");
  await expect(page.getByTestId("theme-dark")).toBeVisible();
  await expect.poll(async () => (await colours(page)).background).toBeLessThan(0.05);
  await shot(page, "dark-apps");

  // It is saved: a reload comes back dark.
  await openDesk(page);
  await expect(page.getByTestId("theme-dark")).toBeVisible();
  await expect.poll(async () => (await colours(page)).background).toBeLessThan(0.05);

  // Settings shows the choice, and switches back to light.
  await go(page, "settings");
  await expect(page.getByTestId("settings-theme-dark")).toHaveClass(/checked/);
  await shot(page, "dark-settings");
  await setTheme(page, "light");
  await expect.poll(async () => (await colours(page)).background).toBeGreaterThan(0.8);

  // "System" follows the operating system's preference.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByTestId("settings-theme-system").click();
  await expect(page.getByTestId("theme-dark")).toBeVisible();
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.getByTestId("theme-light")).toBeVisible();

  // Leave it light for whoever comes next.
  await setTheme(page, "light");
  await expect(page.getByTestId("theme-light")).toBeVisible();
});
