/**
 * Where the renderer is served from inside Electron: a privileged custom scheme, not file://, so the CSP's 'self'
 * means exactly this origin and no file on disk can be loaded by a navigation. Pure constants and helpers only.
 */
export const RENDERER_SCHEME = "kyso-app";
export const RENDERER_HOST = "app";
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;

export type RendererRoute = "home" | "certificates" | "activity" | "sites" | "settings" | "diagnostics" | "sign-files" | "approval";

export function rendererUrl(route: RendererRoute = "home"): string {
  return `${RENDERER_ORIGIN}/index.html#/${route}`;
}

/** True only for URLs on the renderer origin (used by the sender check and the navigation guard). */
export function isRendererUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${RENDERER_SCHEME}:` && parsed.host === RENDERER_HOST;
  } catch {
    return false;
  }
}
