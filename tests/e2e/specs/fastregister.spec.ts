// Fast registration with no push receiver (browser mode, no receive URL): a
// task waiting for WeChat's result push says that the push cannot reach
// wxdesk, and the push pasted right there completes the task.
import { expect, test } from "@playwright/test";
import { ensureTicket, go, openDemoComponent, shot, startSandbox } from "../helpers";

test("a waiting task without a push receiver is completed by pasting the push", async ({ page, context }) => {
  const demo = await startSandbox(page);
  // The sandbox console plays WeChat's side later on.
  const [consoleTab] = await Promise.all([context.waitForEvent("page"), page.getByTestId("sandbox-open-console").click()]);
  await consoleTab.waitForLoadState();
  await openDemoComponent(page, demo);
  await ensureTicket(page);

  // An enterprise registration (a name of its own, so a rerun starts a new task).
  const name = `粘贴推送测试企业${Date.now() % 100000}有限公司`;
  await go(page, "fastregister");
  await page.getByTestId("fr-ent-name").fill(name);
  await page.getByTestId("fr-ent-code").fill("91440300MA5DC1234X");
  await page.getByTestId("fr-ent-legal-wechat").fill("legal_wx");
  await page.getByTestId("fr-ent-legal-name").fill("张三");
  await page.getByTestId("fr-ent-create").click();
  await expect(page.getByTestId("fr-ent-error")).toHaveCount(0);
  await expect(page.getByTestId("task-status")).toHaveText("Created");
  await page.getByTestId("fr-tab-tasks").click();
  const row = page.getByTestId("tasks-table").locator("tr").filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Open" }).click();
  await expect(page.getByTestId("task-modal")).toBeVisible();
  await expect(page.getByTestId("task-no-receiver")).toContainText("No push receiver is set up");

  // WeChat's side: the legal person verifies, the check passes, and the
  // result push goes out — to nowhere, as no receiver is set up.
  const push = await consoleTab.evaluate(async (key) => {
    let out: { push_id: number | null } = { push_id: null };
    for (let i = 0; i < 2; i++) {
      const r = await fetch("/__sandbox/fastregister/advance", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "enterprise", key }),
      });
      out = await r.json();
    }
    const pushes = (await (await fetch("/__sandbox/pushes")).json()) as Array<{ id: number; query: string; body: string }>;
    return pushes.find((p) => p.id === out.push_id) ?? null;
  }, name);
  await consoleTab.close();
  expect(push, "the sandbox sent a result push").not.toBeNull();

  // Paste it on the task (its card is still open).
  await expect(page.getByTestId("task-no-receiver")).toBeVisible();
  await page.getByTestId("task-push-query").fill(push!.query);
  await page.getByTestId("task-push-body").fill(push!.body);
  await page.getByTestId("task-push-submit").click();
  await expect(page.getByTestId("task-modal").getByTestId("task-status")).toHaveText("Succeeded");
  await expect(page.getByTestId("task-modal").getByTestId("task-new-appid")).toBeVisible();
  // Finished: nothing is waiting any more (the paste form goes with no error).
  await expect(page.getByTestId("task-paste-push")).toHaveCount(0);
  await shot(page, "fastregister-pasted-push");
});
