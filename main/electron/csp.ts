/**
 * The renderer's Content-Security-Policy, declared once: the Electron protocol handler sends it as a header,
 * renderer/index.html carries the same text in a meta tag (a unit test keeps them equal), and the test transport
 * sends the header too, so Chromium tests run under the policy the app ships with.
 *
 * No inline script and no eval anywhere; pdf.js runs its parser in a same-origin worker; previews are drawn to
 * canvas, so no frame, object or remote origin is ever needed.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  "default-src": ["'none'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "worker-src": ["'self'"],
  "frame-src": ["'none'"],
  "object-src": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
  "frame-ancestors": ["'none'"],
};

/** `frame-ancestors` is ignored (and warned about) in a meta tag, so the meta copy leaves it out. */
export function contentSecurityPolicy(target: "header" | "meta" = "header"): string {
  return Object.entries(CSP_DIRECTIVES)
    .filter(([name]) => target === "header" || name !== "frame-ancestors")
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}
