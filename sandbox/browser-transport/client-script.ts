/**
 * The classic script the transport serves as `kyso-transport.js` (an external file: the CSP forbids inline
 * script). It defines `window.kyso` with the same shape as the Electron preload (`KysoApi`): invoke resolves with the
 * result or rejects with a plain `KysoApiError` object, `on` returns an unsubscribe function. The page's surface
 * (approval or main) is read once, from the route it was opened on.
 */
export const CLIENT_SCRIPT = `"use strict";
(() => {
  const url = new URL("./ws", location.href);
  // The surface is fixed when the page loads, like an Electron window's (routes.ts: the route is the first segment).
  const route = location.hash.replace(/^#[/]?/, "").split(/[?/]/)[0];
  url.searchParams.set("surface", route === "approval" ? "approval" : "main");
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(url);
  const opened = new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", () => reject(new Error("KySo browser transport: socket failed")), { once: true });
  });
  const pending = new Map();
  const listeners = new Map();
  let nextId = 1;
  socket.addEventListener("message", (message) => {
    const frame = JSON.parse(message.data);
    if (frame.event) {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
      return;
    }
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    if (frame.outcome.ok) waiter.resolve(frame.outcome.result);
    else waiter.reject({ name: "KysoApiError", ...frame.outcome.error });
  });
  socket.addEventListener("close", () => {
    for (const waiter of pending.values()) waiter.reject({ name: "KysoApiError", code: "internal", message: "KySo browser transport closed", retriable: true });
    pending.clear();
  });
  const api = {
    async invoke(method, params) {
      await opened;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    // A page cannot know where a dropped file lives: the stand-in dialogs (files.choose) give paths here.
    pathForFile() {
      return "";
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  Object.defineProperty(window, "kyso", { value: Object.freeze(api), enumerable: true });
})();
`;
