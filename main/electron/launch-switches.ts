/**
 * Command-line switches an installed KySo refuses to start with. Chromium's remote debugging lets whoever started
 * the process drive every window, the approval included, and read what is typed there; the Node inspector is
 * already off through the fuses (build/fuses.cjs) but Chromium's switches are not fuses. A development build
 * (`npm start`, the Playwright smoke test) keeps them.
 */
const FORBIDDEN = ["--remote-debugging-port", "--remote-debugging-pipe", "--remote-debugging-address", "--inspect", "--inspect-brk", "--js-flags"];

/** The first forbidden switch in argv (as `--name` or `--name=value`), or undefined. */
export function forbiddenLaunchSwitch(argv: readonly string[], packaged: boolean): string | undefined {
  if (!packaged) return undefined;
  for (const arg of argv) {
    const name = arg.split("=", 1)[0]!.toLowerCase();
    if (FORBIDDEN.some((f) => name === f || name.startsWith(`${f}-`))) return name;
  }
  return undefined;
}
