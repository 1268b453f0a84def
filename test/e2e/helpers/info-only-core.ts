/**
 * A core that answers only `app.info`, from the real `getAppInfo`: the skeleton test needs no token. Every other
 * method fails the way an unwired method would, with `internal`, never with invented data.
 */
import type { AppHandlers } from "../../../main/core/app-api/contract.js";
import { getAppInfo } from "../../../main/core/app-info.js";
import { KysoError } from "../../../main/domain/errors/kyso-error.js";
import type { TransportCore } from "../../../sandbox/browser-transport/start-browser-transport.js";

export function infoOnlyCore(): TransportCore {
  const handlers = new Proxy({} as AppHandlers, {
    get(_, method: string) {
      if (method === "app.info") return async () => getAppInfo();
      return async () => {
        throw new KysoError("internal", `${method} is not wired in the info-only core`);
      };
    },
  });
  return { handlers, onEvent: () => () => undefined };
}
