import { expect, test } from "@playwright/test";
import { getAppInfo } from "../../../main/core/app-info.js";
import { startBrowserTransport, type BrowserTransport } from "../../../sandbox/browser-transport/start-browser-transport.js";
import { infoOnlyCore } from "../helpers/info-only-core.js";

let transport: BrowserTransport;
test.beforeAll(async () => {
  transport = await startBrowserTransport({ core: infoOnlyCore() });
});
test.afterAll(async () => {
  await transport.close();
});

test("skeleton page: shows the app version read through window.kyso", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(transport.url);
  await expect(page.getByTestId("app-version")).toContainText(getAppInfo().version);
  // The CSP (no inline script) let the app and the transport script run: nothing was blocked.
  expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
});

test("transport: refuses a request without the secret", async ({ request }) => {
  const origin = new URL(transport.url).origin;
  expect((await request.get(`${origin}/index.html`)).status()).toBe(404);
  expect((await request.get(`${origin}/`)).status()).toBe(404);
  expect((await request.get(`${transport.url}index.html`)).status()).toBe(200);
});
