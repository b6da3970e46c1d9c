// The whole flow in a real browser against the real backend and model:
// sign in → ask → streamed answer with a citation → switch backend and ask about a word (its word card)
// → upload as admin → ask about the upload and see it cited. Screenshots of the main screens go to docs/screenshots/.

import { expect, test, type Locator, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

import { ADMIN } from "./accounts";

// `make screenshots` writes them to docs/screenshots; other runs keep them out of the source tree.
const SCREENSHOTS = process.env.PUXIAN_SCREENSHOTS_DIR ?? resolve(import.meta.dirname, "..", "test-results", "screenshots");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const UPLOAD_NAME = "溪口村石狮.md";
const UPLOAD_TITLE = "溪口村的石狮";
const UPLOAD_TEXT = `# ${UPLOAD_TITLE}\n\n溪口村的石狮子叫做“镇溪公”，是村里最老的石雕，已有四百年。\n`;

test.describe.configure({ mode: "serial" });

let page: Page;
const consoleErrors: string[] = [];
// Chromium logs every failed request; these are the ones the tests provoke on purpose.
const provoked: string[] = [];

function base(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: the global setup did not start the backend");
  return url;
}

async function shot(name: string, viewport = DESKTOP): Promise<void> {
  await page.setViewportSize(viewport);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
  await page.setViewportSize(DESKTOP);
}

function lastAnswer(): Locator {
  return page.getByRole("article", { name: "回答" }).last();
}

/** Asks in the composer and returns the answer's text lengths seen while it was written. */
async function ask(question: string): Promise<number[]> {
  const answers = page.getByRole("article", { name: "回答" });
  const before = await answers.count();
  await page.getByLabel("你的问题").fill(question);
  await page.getByLabel("你的问题").press("Enter");
  await expect(answers).toHaveCount(before + 1);
  const answer = answers.nth(before);
  const lengths: number[] = [];
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    const [busy, text] = await answer.evaluate((element) => [
      element.getAttribute("aria-busy"),
      element.querySelector(".markdown")?.textContent ?? "",
    ]);
    if (text.length && lengths[lengths.length - 1] !== text.length) lengths.push(text.length);
    if (busy === "false") break;
    await page.waitForTimeout(100);
  }
  await expect(answer).toHaveAttribute("aria-busy", "false");
  await expect(answer.getByRole("alert")).toHaveCount(0);
  return lengths;
}

test.beforeAll(async ({ browser }) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base() });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = new URL(message.location().url || base()).pathname;
    const status = /status of (\d+)/.exec(message.text())?.[1];
    const expected = provoked.indexOf(`${status} ${url}`);
    if (status && expected !== -1) provoked.splice(expected, 1);
    else consoleErrors.push(`${message.text()} (${url})`);
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
});

test.afterAll(async () => {
  await page?.context().close();
});

test("signs in", async () => {
  await page.goto(base() + "/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "莆仙话助手" })).toBeVisible();
  await page.getByLabel("用户名").fill(ADMIN.username);
  await page.getByLabel("密码").fill("wrong password");
  provoked.push("401 /api/auth/login");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("用户名或密码错误。");
  await shot("login");
  await page.getByLabel("密码").fill(ADMIN.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await expect(page.getByRole("list", { name: "推荐问题" }).getByRole("button")).toHaveCount(4);
  await expect(page.getByRole("group", { name: "推理后端" })).toBeVisible();
  await shot("chat-empty");
});

test("streams the answer to 莆仙话“今天”怎么说？ and shows its citation", async () => {
  const lengths = await ask("莆仙话“今天”怎么说？");
  // The word card's statement comes first, in one piece, then the model's text clause by clause as
  // it passes the grounding check (docs/answers.md): at least two lengths seen while it streams.
  expect(lengths.length, `answer lengths seen while streaming: ${lengths.join(",")}`).toBeGreaterThanOrEqual(2);
  const answer = lastAnswer();
  await expect(answer.locator(".markdown")).toContainText("今旦");
  const inline = answer.locator("button.citation");
  await expect(inline.first()).toBeVisible();
  const chips = answer.getByRole("region", { name: "出处" }).getByRole("button");
  expect(await chips.count()).toBeGreaterThanOrEqual(1);
  await expect(answer.getByLabel("用时")).toContainText(/检索 .*首字 .*总计/);
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("navigation", { name: "会话列表" }).getByRole("link")).toHaveCount(1);

  await inline.first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("heading", { level: 2 })).toHaveText(/^出处 \[\d+\]$/);
  await expect(dialog.locator(".source-text")).toContainText("今旦");
  await shot("citation");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  await answer.getByRole("button", { name: "复制回答" }).click();
  await expect(answer.getByRole("button", { name: "已复制" })).toBeVisible();
  await answer.getByRole("button", { name: "有帮助", exact: true }).click();
  await answer.getByLabel("哪里有帮助？（可选）").fill("说法准确");
  await answer.getByRole("button", { name: "提交反馈" }).click();
  await expect(answer.getByText("已反馈：说法准确")).toBeVisible();
  await shot("chat");
  await shot("chat-phone", PHONE);
});

test("converts romanization on the 拼音转换 page and answers a romanized question", async () => {
  await page.getByRole("link", { name: "拼音转换" }).click();
  await page.getByLabel("要转换的文字").fill("今旦 ging1 dua4");
  await page.getByRole("button", { name: "转换", exact: true }).click();
  const result = page.getByRole("region", { name: "转换结果" });
  // The lexicon records 今旦 as ging-dua̍ⁿ: its reading chooses the nasal vowel PSP cannot show.
  await expect(result.getByRole("row", { name: "平话字", exact: true })).toContainText("今旦 ging-dua̍ⁿ");
  await expect(result.getByRole("row", { name: "莆仙话拼音", exact: true })).toContainText("今旦 ging1 nua4");
  await expect(result.getByRole("row", { name: "国际音标", exact: true })).toContainText("[kiŋ533 tua42]");
  await shot("romanize");
  await page.getByLabel("原文写法").selectOption("psp");
  await page.getByLabel("要转换的文字").fill("gua3 xq7");
  provoked.push("422 /api/romanize");
  await page.getByRole("button", { name: "转换", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(/“xq7”不是有效的莆仙话拼音音节。/);

  await page.getByRole("link", { name: "对话" }).click();
  await ask("taumng 是什么意思");
  const answer = lastAnswer();
  await expect(answer.locator(".markdown")).toContainText("输入“taumng”读作 tao mung");
  await expect(answer.locator(".markdown")).toContainText("“头毛”tao2 mung2（头发）");
  const sources = answer.getByRole("region", { name: "出处" });
  await expect(sources.getByRole("button", { name: /头毛/ }).first()).toContainText("tao2 mung2 · táu-mńg");
  await sources.getByRole("button", { name: /头毛/ }).first().click();
  await expect(page.getByRole("dialog").getByRole("table", { name: "读音" })).toContainText("有据");
  await page.keyboard.press("Escape");
});

test("switches the backend", async () => {
  const group = page.getByRole("group", { name: "推理后端" });
  const radios = group.getByRole("radio");
  expect(await radios.count(), "a second backend must be configured (PUXIAN_ENGINES)").toBeGreaterThanOrEqual(2);
  await page.getByRole("link", { name: "管理" }).click();
  await page.getByRole("link", { name: "推理后端" }).click();
  const other = page.locator(".engine-card").filter({ hasNot: page.locator(".badge") }).first();
  const targetName = (await other.getAttribute("aria-label")) ?? "";
  const target = page.getByRole("listitem", { name: targetName, exact: true });
  await target.getByRole("button", { name: /设为默认/ }).click();
  await expect(target.locator(".badge")).toHaveText("默认", { timeout: 5 * 60_000 });
  await expect(target.locator(".state")).toHaveText(/^就绪/);
  await shot("admin-engines");
  await expect(group.getByRole("radio", { name: new RegExp(`^${targetName}`) })).toBeChecked();
  const engineName = await group.getByRole("radio", { checked: true }).getAttribute("value");
  await page.getByRole("link", { name: "对话" }).click();
  // A question about a word is answered from the lexicon's card, shown above the model's text.
  await ask("筷子用莆仙话怎么说？");
  const answer = lastAnswer();
  await expect(answer.getByLabel("用时")).toContainText(` · ${engineName}`);
  const cards = answer.getByRole("region", { name: "词卡" });
  await expect(cards.getByRole("article", { name: "词卡：箸" }).first()).toContainText("筷子");
  const cardsBox = await cards.boundingBox();
  const textBox = await answer.locator(".markdown").boundingBox();
  expect(cardsBox && textBox && cardsBox.y + cardsBox.height <= textBox.y, "the cards are above the answer text").toBe(true);
});

test("uploads a document as admin", async () => {
  await page.getByRole("link", { name: "管理" }).click();
  await expect(page).toHaveURL(/\/admin\/documents$/);
  await expect(page.getByRole("table")).toContainText("精选");
  provoked.push("422 /api/admin/documents"); // the bad word list: nothing of it could be imported
  await page.getByLabel("选择文件").setInputFiles([
    { name: UPLOAD_NAME, mimeType: "text/markdown", buffer: Buffer.from(UPLOAD_TEXT) },
    { name: "坏词表.tsv", mimeType: "text/tab-separated-values", buffer: Buffer.from("hanzi\tgloss\tpsp\n箸\t筷子\tdy5 ?!\n") },
  ]);
  const progress = page.getByRole("list", { name: "上传进度" });
  await expect(progress.getByRole("listitem").filter({ hasText: UPLOAD_NAME })).toContainText("已添加，1 个片段");
  await expect(progress.getByRole("listitem").filter({ hasText: "坏词表.tsv" })).toContainText("坏词表.tsv:2:");
  const row = page.getByRole("row").filter({ hasText: UPLOAD_TITLE });
  await expect(row).toContainText(UPLOAD_NAME);
  await expect(row.getByRole("cell").nth(3)).toHaveText("1");
  await shot("admin-documents");
  await shot("admin-documents-phone", PHONE);
});

test("answers from the uploaded document and cites it", async () => {
  await page.getByRole("link", { name: "对话" }).click();
  await page.getByRole("button", { name: "＋ 新对话" }).click();
  await ask("溪口村的石狮子叫什么？");
  const answer = lastAnswer();
  const chip = answer.getByRole("region", { name: "出处" }).getByRole("button", { name: new RegExp(UPLOAD_TITLE) });
  await expect(chip).toBeVisible();
  await chip.first().click();
  await expect(page.getByRole("dialog").locator(".source-text")).toContainText("镇溪公");
  await page.keyboard.press("Escape");
  const conversations = page.getByRole("navigation", { name: "会话列表" }).getByRole("link");
  await expect(conversations).toHaveCount(4);

  // Continue the first conversation: its messages, sources and feedback come back from the server.
  await conversations.filter({ hasText: "今天" }).click();
  await expect(page.getByRole("article", { name: "问题" })).toHaveText("莆仙话“今天”怎么说？");
  const stored = lastAnswer();
  await expect(stored.locator(".markdown")).toContainText("今旦");
  await expect(stored.getByText("已反馈：说法准确")).toBeVisible();
  await expect(stored.getByRole("region", { name: "出处" }).getByRole("button").first()).toBeVisible();
});

test("shows the users and API key pages", async () => {
  await page.getByRole("link", { name: "管理" }).click();
  await page.getByRole("link", { name: "用户" }).click();
  await page.getByLabel("用户名").fill("lin_xiaoming");
  await page.getByLabel("初始密码").fill("short");
  provoked.push("422 /api/admin/users");
  await page.getByRole("button", { name: "创建" }).click();
  await expect(page.getByRole("alert")).toHaveText("密码至少需要 8 个字符。");
  await page.getByLabel("初始密码").fill("a long enough password");
  await page.getByRole("button", { name: "创建" }).click();
  await expect(page.getByRole("row").filter({ hasText: "lin_xiaoming" })).toContainText("正常");
  await shot("admin-users");
  await page.getByRole("link", { name: "API 密钥" }).first().click();
  await page.getByLabel("名称").fill("我的脚本");
  await page.getByRole("button", { name: "创建密钥" }).click();
  const key = page.getByLabel("密钥“我的脚本”");
  await expect(key).toHaveValue(/^pk-/);
  await shot("api-key-created");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("row").filter({ hasText: "我的脚本" })).toContainText("有效");
});

test("wrote nothing to the console", async () => {
  expect(consoleErrors).toEqual([]);
  expect(provoked, "the provoked errors were logged").toEqual([]);
});
