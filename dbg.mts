import { startBridgeHarness, connect } from "./test/integration/bridge/bridge-harness.js";
import { FUZZ_LIMITS } from "./test/fuzz/protocol-cases.js";
const h = await startBridgeHarness({ limits: FUZZ_LIMITS });
const c = await connect(h.wsPort);
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await c.call("signBatch", { items: [{ format: "xades", document: Buffer.from("not xml at all").toString("base64") }], display: { title: "lô" } });
  console.log(i, (performance.now() - t).toFixed(0), "ms", JSON.stringify(r).slice(0, 200));
}
c.close(); await h.close();
