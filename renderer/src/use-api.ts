import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, type AppEvent } from "./kyso.js";

/** Loading state of one read, as a union (style habit 8). */
export type Load<T> =
  | { readonly kind: "loading" }
  | { readonly kind: "loaded"; readonly value: T }
  | { readonly kind: "failed"; readonly message: string };

/**
 * Runs `read` once, again whenever one of `events` arrives (tokens plugged in, settings changed...), and on
 * `reload()`. The event payload is not trusted to be the same shape as the read: the read runs again.
 */
export function useApiRead<T>(read: () => Promise<T>, events: readonly AppEvent[] = []): { state: Load<T>; reload: () => void } {
  const [state, setState] = useState<Load<T>>({ kind: "loading" });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    let live = true;
    read().then(
      (value) => live && setState({ kind: "loaded", value }),
      (error: unknown) => live && setState({ kind: "failed", message: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
    // `read` is a fresh closure on every render; the generation and the events decide when to read again.
  }, [generation]);
  const eventKey = events.join(",");
  useEffect(() => {
    const offs = events.map((event) => api().on(event, () => reload()));
    return () => offs.forEach((off) => off());
  }, [eventKey, reload]);
  return { state, reload };
}
