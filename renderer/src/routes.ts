/** Hash routes: the app is a file/custom-scheme page, so the path never changes, only the fragment. */
export const ROUTES = ["home", "certificates", "activity", "verify", "sign-files", "sites", "settings", "diagnostics", "approval"] as const;
export type Route = (typeof ROUTES)[number];

export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, "").split(/[?/]/)[0] ?? "";
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : "home";
}
