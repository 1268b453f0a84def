import { expect, test } from "@playwright/test";
import { contentSecurityPolicy } from "../../../main/electron/csp.js";
import { startBrowserTransport, type BrowserTransport } from "../../../sandbox/browser-transport/start-browser-transport.js";
import { infoOnlyCore } from "../helpers/info-only-core.js";

let transport: BrowserTransport;
test.beforeAll(async () => {
  transport = await startBrowserTransport({ core: infoOnlyCore() });
});
test.afterAll(async () => transport.close());

test("renderer in Chromium under the app's CSP: inline script is refused, the app still runs", async ({ page }) => {
  const response = await page.goto(transport.url);
  expect(response?.headers()["content-security-policy"]).toBe(contentSecurityPolicy("header"));
  await expect(page.getByTestId("app-version")).toBeVisible();
  const inline = await page.evaluate(async () => {
    // DevTools' own evaluation is exempt from CSP, so the test makes the page itself add an inline script.
    const violations: string[] = [];
    // An allowed inline script runs during append; a refused one is reported by a violation event: wait for that.
    const reported = new Promise<void>((resolve) =>
      document.addEventListener("securitypolicyviolation", (e: unknown) => {
        violations.push((e as { violatedDirective: string }).violatedDirective);
        resolve();
      }),
    );
    const script = document.createElement("script");
    script.textContent = "window.__inline = true";
    document.head.append(script);
    if (!(window as unknown as { __inline?: boolean }).__inline) await reported;
    return { ran: (window as unknown as { __inline?: boolean }).__inline ?? false, violations };
  });
  expect(inline.ran).toBe(false);
  // Reported once per policy: the header and the meta copy both enforce.
  expect(new Set(inline.violations)).toEqual(new Set(["script-src-elem"]));
});

test("transport: a WebSocket from another origin is refused", async ({ page }) => {
  await page.goto("about:blank");
  const url = transport.url.replace("http:", "ws:") + "ws";
  const opened = await page.evaluate(
    (u) => new Promise<boolean>((resolve) => {
      const ws = new WebSocket(u);
      ws.onopen = () => resolve(true);
      ws.onerror = () => resolve(false);
    }),
    url,
  );
  expect(opened).toBe(false);
});
