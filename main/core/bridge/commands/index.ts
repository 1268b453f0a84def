import type { BridgeCommand } from "../command.js";
import { certificatesListCommand } from "./certificates-list.js";
import { helloCommand } from "./hello.js";
import { pairCommand } from "./pair.js";
import { signBatchCommand } from "./sign-batch.js";
import { signCommand } from "./sign.js";
import { tokensListCommand } from "./tokens-list.js";
import { verifyCommand } from "./verify.js";

/** Protocol v1: every method the bridge answers. Anything else is `method_not_found`. */
export const COMMANDS: ReadonlyMap<string, BridgeCommand<never, unknown>> = new Map(
  [helloCommand, pairCommand, tokensListCommand, certificatesListCommand, signCommand, signBatchCommand, verifyCommand].map(
    (command) => [command.method, command as unknown as BridgeCommand<never, unknown>] as const,
  ),
);
