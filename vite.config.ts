import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The renderer: one React app served to the Electron windows (kyso-app:// scheme) and, in tests, by the test
 * transport. `base: "./"` keeps every asset URL relative, so the same build works under both.
 */
export default defineConfig({
  root: "renderer",
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../dist/renderer",
    emptyOutDir: true,
    // The polyfill would be an inline script, which the CSP forbids; Chromium 156 needs none.
    modulePreload: { polyfill: false },
    // Fonts and the pdf.js worker stay files (data: URLs for workers are refused by the CSP).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
  },
});
