#!/usr/bin/env node
/**
 * `npm run build`: main process, core and native (tsc), the sandboxed preload (CommonJS), the renderer and the
 * portal SDK (Vite / tsc). Output goes to dist/, which electron-builder packs.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";

function step(label, command, args) {
  console.log(`build: ${label}`);
  const { status } = spawnSync(command, args, { stdio: "inherit" });
  if (status !== 0) {
    console.error(`build: ${label} failed`);
    process.exit(status ?? 1);
  }
}

step("main + core + native", "npx", ["tsc", "-p", "tsconfig.main.json"]);
step("preload", "npx", ["tsc", "-p", "tsconfig.preload.json"]);
step("sdk", "npx", ["tsc", "-p", "tsconfig.sdk.json"]);
if (existsSync("vite.config.ts")) step("renderer", "npx", ["vite", "build", "--config", "vite.config.ts"]);
// Data files the code reads at run time travel next to the compiled code.
if (existsSync("native/drivers")) {
  mkdirSync("dist/native/drivers", { recursive: true });
  cpSync("native/drivers", "dist/native/drivers", { recursive: true, filter: (src) => !src.endsWith(".ts") });
}
console.log("build: done");
