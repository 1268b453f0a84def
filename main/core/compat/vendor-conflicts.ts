/**
 * Other signing services on this machine, found by the ports their vendors fixed (diagnostics: support staff see a
 * conflict at a glance). A probe is a bare TCP connect to 127.0.0.1 that sends nothing and closes at once, so it
 * neither triggers a vendor's prompt nor looks like a client of any protocol.
 */
import { connect } from "node:net";
import type { CompatListenerView, VendorServiceView } from "../app-api/views.js";

export interface KnownVendorPort {
  readonly vendor: VendorServiceView["vendor"];
  readonly port: number;
  /** The KySo adapter that answers this vendor's protocol on this port, if any. */
  readonly adapter?: CompatListenerView["adapter"];
}

export const KNOWN_VENDOR_PORTS: readonly KnownVendorPort[] = [
  { vendor: "vgca", port: 8987, adapter: "vgca" },
  { vendor: "vnpt-ca", port: 4433 },
  { vendor: "vnpt-ca", port: 4434 },
  { vendor: "vnpt-ca", port: 4435 },
  { vendor: "viettel-ca", port: 14007, adapter: "signplugin" },
  { vendor: "viettel-ca", port: 14407, adapter: "signplugin" },
  { vendor: "viettel-ca", port: 14408, adapter: "signplugin" },
  { vendor: "bkav-ca", port: 8443 },
];

const PROBE_MS = 300;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(PROBE_MS, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Every known vendor port some other program listens on, with what KySo does about it. Ports KySo itself listens
 * on (its own adapters) are not conflicts and are skipped.
 */
export async function probeVendorServices(own: readonly CompatListenerView[], known: readonly KnownVendorPort[] = KNOWN_VENDOR_PORTS): Promise<VendorServiceView[]> {
  const ours = new Set(own.filter((v) => v.state === "listening").map((v) => v.port));
  const probed = await Promise.all(known.filter((k) => !ours.has(k.port)).map(async (k) => ({ k, open: await listening(k.port) })));
  return probed
    .filter(({ open }) => open)
    .map(({ k }) => {
      const adapterOn = k.adapter !== undefined && own.some((v) => v.adapter === k.adapter && v.state !== "off");
      const kyso: VendorServiceView["kyso"] = k.adapter === undefined ? "not-emulated" : adapterOn ? "yields-port" : "adapter-off";
      return { vendor: k.vendor, port: k.port, kyso };
    });
}
