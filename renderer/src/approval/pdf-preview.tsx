import { useEffect, useId, useRef, useState } from "react";
import * as pdfjs from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import type { StampPlan } from "../../../main/domain/signature-plan.js";
import { useI18n } from "../i18n/index.js";

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/** Enough pages to recognise the document; the page count KySo read is shown above in any case. */
export const PREVIEW_PAGES = 3;
const PREVIEW_WIDTH = 560;

type Preview = { readonly kind: "loading" } | { readonly kind: "drawn"; readonly total: number } | { readonly kind: "failed" };

/** The pages drawn: the first few, and the stamp's page wherever it is (a stamp on the last page of 12 is shown). */
export function pagesToDraw(total: number, stampPage: number | undefined): number[] {
  const pages = Array.from({ length: Math.min(total, PREVIEW_PAGES) }, (_, i) => i + 1);
  if (stampPage !== undefined && stampPage <= total && !pages.includes(stampPage)) pages.push(stampPage);
  return pages;
}

/**
 * Where the stamp lands on the drawn page, as fractions of the page box: pdf.js's viewport maps the PDF user-space
 * /Rect through the page's /Rotate and CropBox exactly as it maps the page content, so the box sits where a viewer
 * will draw the signature widget.
 */
function stampBox(viewport: pdfjs.PageViewport, rect: StampPlan["rect"]): { left: number; top: number; width: number; height: number } {
  const [x1, y1, x2, y2] = viewport.convertToViewportRectangle([...rect]);
  const left = Math.min(x1, x2);
  const top = Math.min(y1, y2);
  return {
    left: left / viewport.width,
    top: top / viewport.height,
    width: Math.abs(x2 - x1) / viewport.width,
    height: Math.abs(y2 - y1) / viewport.height,
  };
}

const percent = (fraction: number): string => `${(fraction * 100).toFixed(4)}%`;

/** A point on a page in PDF points: the centre the user chose for the stamp's image. */
export interface PlacePoint {
  readonly page: number;
  readonly x: number;
  readonly y: number;
}

/** Arrow-key steps in PDF points (Shift: the larger one). */
const KEY_STEP_PT = 5;
const KEY_STEP_LARGE_PT = 25;

/**
 * A position on the drawn page (fractions of its box, from the top left as on screen) back to PDF user space: the
 * reverse of `stampBox`, through the same viewport (so /Rotate and the CropBox are undone). Clamped to 0, the
 * contract's lower bound; whether the stamp fits is the core's check.
 */
export function toPdfPoint(viewport: pdfjs.PageViewport, page: number, fx: number, fy: number): PlacePoint {
  const [x, y] = viewport.convertToPdfPoint(fx * viewport.width, fy * viewport.height) as [number, number];
  const round = (v: number): number => Math.max(0, Math.round(v * 100) / 100);
  return { page, x: round(x), y: round(y) };
}

interface DrawnPage {
  readonly frame: HTMLElement;
  readonly viewport: pdfjs.PageViewport;
}

/**
 * Draws the first pages of the PDF KySo will sign, from the bytes the core holds (never fetched from the page), and,
 * for a visible signature, the stamp's rectangle on its page. pdf.js parses in its worker, which has no
 * `window.kyso`; the result reaches this page as pixels on a canvas.
 *
 * With `onPlace` (a leader or seal preset), a click on a page asks the core to centre the image there, and the
 * rectangle (focusable) moves with the arrow keys, Page Up / Page Down taking it to the previous or next page. The
 * rectangle is always the core's answer (`stamp`), never a guess made here.
 */
export function PdfPreview({ data, stamp, onPlace }: { data: Uint8Array; stamp?: StampPlan | undefined; onPlace?: ((at: PlacePoint) => void) | undefined }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [preview, setPreview] = useState<Preview>({ kind: "loading" });
  const [drawn, setDrawn] = useState(0);
  const pages = useRef(new Map<number, DrawnPage>());
  const total = useRef(0);
  /** The rectangle had the keyboard focus: the next one drawn takes it back (it is redrawn after every move). */
  const refocus = useRef(false);
  const place = useRef(onPlace);
  place.current = onPlace;
  // Pages beyond the first few are drawn for the stamp's page only: it is part of what the pages effect draws.
  const extraPage = stamp && stamp.page > PREVIEW_PAGES ? stamp.page : 0;
  const stampKey = stamp ? `${stamp.page}:${stamp.rect.join(",")}` : "";
  const placeable = onPlace !== undefined;
  const hintId = useId();

  useEffect(() => {
    let cancelled = false;
    const task = pdfjs.getDocument({ data: data.slice(), isEvalSupported: false, enableXfa: false, stopAtErrors: false });
    const frames: HTMLElement[] = [];
    const drawnPages = new Map<number, DrawnPage>();
    (async () => {
      const doc = await task.promise;
      total.current = doc.numPages;
      for (const n of pagesToDraw(doc.numPages, extraPage || undefined)) {
        if (cancelled) break;
        const page = await doc.getPage(n);
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (PREVIEW_WIDTH / base.width) * (window.devicePixelRatio || 1) });
        const frame = document.createElement("div");
        frame.className = "pdf-page-frame";
        const canvas = document.createElement("canvas");
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.className = "pdf-page";
        canvas.dataset.page = String(n);
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", t("doc.page", { n, total: doc.numPages }));
        await page.render({ canvas, viewport }).promise;
        frame.append(canvas);
        // A click anywhere on the page (the rectangle included) centres the image there, when it can be placed.
        frame.addEventListener("click", (event) => {
          if (!place.current) return;
          const box = canvas.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) return;
          place.current(toPdfPoint(viewport, n, (event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height));
        });
        frames.push(frame);
        drawnPages.set(n, { frame, viewport });
        if (!cancelled) container.current?.append(frame);
      }
      if (!cancelled) {
        pages.current = drawnPages;
        setDrawn((d) => d + 1);
        setPreview({ kind: "drawn", total: doc.numPages });
      }
    })().catch(() => !cancelled && setPreview({ kind: "failed" }));
    return () => {
      cancelled = true;
      for (const frame of frames) frame.remove();
      void task.destroy();
    };
    // t only labels the canvases; redrawing on a language switch is not worth it.
  }, [data, extraPage]);

  // The stamp's rectangle, on its own: moving the stamp redraws it, not the pages.
  useEffect(() => {
    if (!stamp) return;
    const drawnPage = pages.current.get(stamp.page);
    if (!drawnPage) return;
    const { frame, viewport } = drawnPage;
    const box = stampBox(viewport, stamp.rect);
    const overlay = document.createElement("div");
    overlay.className = placeable ? "stamp-overlay placeable" : "stamp-overlay";
    overlay.dataset.testid = "stamp-overlay";
    overlay.dataset.page = String(stamp.page);
    // CSSOM, not a style attribute: the CSP allows no inline style markup.
    overlay.style.left = percent(box.left);
    overlay.style.top = percent(box.top);
    overlay.style.width = percent(box.width);
    overlay.style.height = percent(box.height);
    const label = document.createElement("span");
    label.textContent = t("sig.stampLabel");
    overlay.append(label);
    if (placeable) {
      overlay.tabIndex = 0;
      overlay.setAttribute("role", "button");
      overlay.setAttribute("aria-label", t("preset.place.overlay", { page: stamp.page }));
      overlay.setAttribute("aria-describedby", hintId);
      overlay.addEventListener("keydown", (event) => {
        const move = keyMove(event, stamp.page, total.current);
        if (!move || !place.current) return;
        event.preventDefault();
        refocus.current = true;
        // The rectangle's centre, moved on screen (so "right" is right on a rotated page too), back to PDF points.
        const cx = box.left + box.width / 2 + (move.dx * viewport.scale) / viewport.width;
        const cy = box.top + box.height / 2 + (move.dy * viewport.scale) / viewport.height;
        const point = toPdfPoint(viewport, stamp.page, cx, cy);
        place.current({ ...point, page: move.page });
      });
    } else {
      overlay.setAttribute("role", "img");
      overlay.setAttribute("aria-label", t("sig.stampOverlay", { page: stamp.page }));
    }
    frame.append(overlay);
    if (refocus.current) {
      refocus.current = false;
      overlay.focus();
    }
    return () => {
      if (document.activeElement === overlay) refocus.current = true;
      overlay.remove();
    };
  }, [stampKey, drawn, placeable]);

  return (
    <figure className={placeable ? "pdf-preview placeable" : "pdf-preview"} aria-label={t("doc.preview")}>
      <figcaption>{t("doc.preview")}</figcaption>
      {placeable ? (
        <p className="muted" id={hintId} data-testid="stamp-place-hint">
          {t("preset.place.hint")}
        </p>
      ) : null}
      {preview.kind === "loading" ? <p role="status">{t("doc.previewLoading")}</p> : null}
      {preview.kind === "failed" ? <p className="warning">{t("doc.previewFailed")}</p> : null}
      {preview.kind === "drawn" && preview.total > PREVIEW_PAGES ? (
        <p className="muted">{t("doc.previewLimited", { shown: PREVIEW_PAGES, total: preview.total })}</p>
      ) : null}
      {/* Scrolls on its own: focusable so the keyboard can scroll it (axe scrollable-region-focusable). */}
      <div ref={container} className="pdf-pages" data-testid="pdf-pages" tabIndex={0} role="region" aria-label={t("doc.preview")} />
    </figure>
  );
}

/** The arrow keys move the image on screen (points; Shift: larger), Page Up / Page Down take it to another page. */
export function keyMove(event: Pick<KeyboardEvent, "key" | "shiftKey">, page: number, total: number): { dx: number; dy: number; page: number } | undefined {
  const step = event.shiftKey ? KEY_STEP_LARGE_PT : KEY_STEP_PT;
  switch (event.key) {
    case "ArrowLeft":
      return { dx: -step, dy: 0, page };
    case "ArrowRight":
      return { dx: step, dy: 0, page };
    case "ArrowUp":
      return { dx: 0, dy: -step, page };
    case "ArrowDown":
      return { dx: 0, dy: step, page };
    case "PageUp":
      return page > 1 ? { dx: 0, dy: 0, page: page - 1 } : undefined;
    case "PageDown":
      return page < total ? { dx: 0, dy: 0, page: page + 1 } : undefined;
    default:
      return undefined;
  }
}
