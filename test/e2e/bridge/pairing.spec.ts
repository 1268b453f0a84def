import { expect, test, type Page } from "@playwright/test";
import { routePortal, startE2eCore, type E2eCore } from "./bridge-e2e.js";

const NEWCOMER = "https://cong-moi.example.vn";
let kyso: E2eCore;
test.beforeAll(async () => {
  kyso = await startE2eCore();
});
test.afterAll(() => kyso?.close());

/** Calls a client method in the page; returns the result or the SDK error's class and code. */
function call(page: Page, method: string): Promise<unknown> {
  return page.evaluate(async (m) => {
    const client = (window as unknown as { kyso: Record<string, () => Promise<unknown>> }).kyso;
    try {
      return { ok: true, value: await client[m]!() };
    } catch (error) {
      return { ok: false, error: (error as Error).name, code: (error as { code: string }).code };
    }
  }, method);
}

test("an unknown origin: origin_not_allowed, pairs when the user allows it in the app, refused again after revoke", async ({ page, context }) => {
  await context.grantPermissions(["local-network-access"], { origin: NEWCOMER });
  await routePortal(page, NEWCOMER);
  await page.goto(`${NEWCOMER}/`);
  await page.evaluate(async (ws) => {
    const w = window as unknown as { kysoSdk: { connect(o: unknown): Promise<unknown> }; kyso: unknown };
    w.kyso = await w.kysoSdk.connect({ schemes: ["ws"], ports: { ws: [ws] } });
  }, kyso.core.bridge.ports.ws);

  expect(await call(page, "listCertificates")).toEqual({ ok: false, error: "OriginNotAllowedError", code: "origin_not_allowed" });
  expect(await call(page, "hello")).toMatchObject({ ok: true, value: { origin: { origin: NEWCOMER, trust: "none" } } });

  const pairing = call(page, "pair");
  const approval = await kyso.approveInUi(context);
  expect(approval).toMatchObject({ kind: "pair", origin: { origin: NEWCOMER } });
  expect(await pairing).toEqual({ ok: true, value: { granted: true } });
  expect(await call(page, "listCertificates")).toMatchObject({ ok: true });

  expect(await kyso.core.handlers["pairings.revoke"]({ origin: NEWCOMER })).toEqual({ revoked: true });
  expect(await call(page, "listTokens")).toEqual({ ok: false, error: "OriginNotAllowedError", code: "origin_not_allowed" });
});
