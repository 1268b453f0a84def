/**
 * Files dropped anywhere on the main window open "Sign files" with them (the verify page keeps its own drop, and the
 * approval window takes none). The paths come from the preload (`pathForFile`, Electron's webUtils); the page never
 * makes one up. Where the transport cannot say where a file is (the browser test transport), the page says to use
 * the Choose button instead of silently doing nothing.
 */
import { useEffect } from "react";
import { api } from "../kyso.js";
import type { Route } from "../routes.js";

export type DroppedFiles = { readonly kind: "paths"; readonly paths: readonly string[] } | { readonly kind: "no-paths" };

let pending: DroppedFiles | undefined;
const listeners = new Set<(drop: DroppedFiles) => void>();

/** The page takes a drop that happened before it was shown (the drop is what opened it). */
export function takePendingDrop(): DroppedFiles | undefined {
  const drop = pending;
  pending = undefined;
  return drop;
}

/** The page, once shown, gets later drops directly. */
export function onDrop(listener: (drop: DroppedFiles) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function deliverDrop(drop: DroppedFiles): void {
  if (listeners.size === 0) pending = drop;
  for (const listener of listeners) listener(drop);
}

/** The paths of the dropped files and folders (none known: "no-paths"). */
export function droppedFiles(files: ArrayLike<File>): DroppedFiles {
  const paths = Array.from(files, (file) => api().pathForFile(file)).filter((p) => p !== "");
  return paths.length > 0 ? { kind: "paths", paths: [...new Set(paths)] } : { kind: "no-paths" };
}

/** Window-wide: a file drop on any page but verify (its own) opens "Sign files" with the files. */
export function useWindowDrop(route: Route): void {
  useEffect(() => {
    if (route === "verify" || route === "approval") return;
    const over = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      // Without this the browser would open the file in place of the app.
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    };
    const drop = (event: DragEvent) => {
      const files = event.dataTransfer?.files;
      if (!files || files.length === 0) return;
      event.preventDefault();
      deliverDrop(droppedFiles(files));
      if (route !== "sign-files") window.location.hash = "#/sign-files";
    };
    window.addEventListener("dragover", over);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragover", over);
      window.removeEventListener("drop", drop);
    };
  }, [route]);
}
