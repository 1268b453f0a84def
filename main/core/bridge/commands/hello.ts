import { z } from "zod";
import { getAppInfo } from "../../app-info.js";
import type { HelloResult, SigningFormat } from "../../../domain/wire/protocol.js";
import { defineCommand } from "../command.js";
import { warmForPortal } from "../signing-port.js";

/** Product, version, protocol and formats, and how KySo trusts the asking origin. Reveals nothing about tokens. */
export const helloCommand = defineCommand({
  method: "hello",
  openToUnknownOrigins: true,
  signs: false,
  params: z.strictObject({}).optional(),
  async run(context): Promise<HelloResult> {
    warmForPortal(context); // the SDK's connect: a document usually follows
    const info = getAppInfo();
    return {
      product: info.product,
      version: info.version,
      protocol: info.protocol,
      formats: info.formats as SigningFormat[],
      origin: { origin: context.origin, trust: context.trust },
    };
  },
});
