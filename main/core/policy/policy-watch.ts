/**
 * Re-reads the machine policy when an admin changes it, so a new allowlist or a fixed policy takes effect without
 * asking every user to restart KySo. Folders of the file places are watched (the file itself may not exist yet, and
 * editors replace files rather than write them in place); the registry and managed preferences have no portable
 * change notification, so every place is also re-read on an interval, which also covers a missed file event.
 * The listener hears only real changes: same status, same place and same text is no change.
 */
import { watch, type FSWatcher } from "node:fs";
import { dirname } from "node:path";
import { discoverMachinePolicy, policyLocations, type DiscoveryOptions, type MachinePolicy } from "./machine-policy.js";

export interface PolicyWatchOptions extends DiscoveryOptions {
  /** Interval between full re-reads (default 5 minutes; Chrome re-reads its policies on a similar interval). */
  readonly intervalMs?: number;
  /** Quiet time after a file event before re-reading (an editor's save is several events). */
  readonly settleMs?: number;
}

export function sameMachinePolicy(a: MachinePolicy, b: MachinePolicy): boolean {
  if (a.status !== b.status) return false;
  if (a.status === "none") return true;
  const bSource = (b as Exclude<MachinePolicy, { status: "none" }>).source;
  return a.source.location === bSource.location && (a as { text?: string }).text === (b as { text?: string }).text && JSON.stringify((a as { problems?: unknown }).problems) === JSON.stringify((b as { problems?: unknown }).problems);
}

export function watchMachinePolicy(options: PolicyWatchOptions, current: MachinePolicy, onChange: (next: MachinePolicy) => void): () => void {
  let last = current;
  let settle: NodeJS.Timeout | undefined;
  const reread = () => {
    settle = undefined;
    const next = discoverMachinePolicy(options);
    if (sameMachinePolicy(last, next)) return;
    last = next;
    onChange(next);
  };
  const soon = () => {
    if (settle) clearTimeout(settle);
    settle = setTimeout(reread, options.settleMs ?? 300);
  };
  const watchers: FSWatcher[] = [];
  for (const place of policyLocations(options)) {
    if (place.kind !== "file" && place.kind !== "environment" && place.kind !== "managed-preferences") continue;
    try {
      const watcher = watch(dirname(place.location), { persistent: false }, soon);
      // A folder that disappears (an uninstall) only ends the watch; the interval still re-reads.
      watcher.on("error", () => watcher.close());
      watchers.push(watcher);
    } catch {
      // The folder does not exist (yet): the interval re-read finds a policy installed later.
    }
  }
  const interval = setInterval(reread, options.intervalMs ?? 5 * 60_000);
  interval.unref();
  return () => {
    clearInterval(interval);
    if (settle) clearTimeout(settle);
    for (const watcher of watchers) watcher.close();
  };
}
