import { useEffect, useRef, useState } from "react";
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

/**
 * Draws the first pages of the PDF KySo will sign, from the bytes the core holds (never fetched from the page), and,
 * for a visible signature, the stamp's rectangle on its page. pdf.js parses in its worker, which has no
 * `window.kyso`; the result reaches this page as pixels on a canvas.
 */
export function PdfPreview({ data, stamp }: { data: Uint8Array; stamp?: StampPlan | undefined }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [preview, setPreview] = useState<Preview>({ kind: "loading" });
  const stampKey = stamp ? `${stamp.page}:${stamp.rect.join(",")}` : "";

  useEffect(() => {
    let cancelled = false;
    const task = pdfjs.getDocument({ data: data.slice(), isEvalSupported: false, enableXfa: false, stopAtErrors: false });
    const frames: HTMLElement[] = [];
    (async () => {
      const doc = await task.promise;
      for (const n of pagesToDraw(doc.numPages, stamp?.page)) {
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
        if (stamp && stamp.page === n) {
          const box = stampBox(viewport, stamp.rect);
          const overlay = document.createElement("div");
          overlay.className = "stamp-overlay";
          overlay.dataset.testid = "stamp-overlay";
          overlay.setAttribute("role", "img");
          overlay.setAttribute("aria-label", t("sig.stampOverlay", { page: n }));
          // CSSOM, not a style attribute: the CSP allows no inline style markup.
          overlay.style.left = percent(box.left);
          overlay.style.top = percent(box.top);
          overlay.style.width = percent(box.width);
          overlay.style.height = percent(box.height);
          const label = document.createElement("span");
          label.textContent = t("sig.stampLabel");
          overlay.append(label);
          frame.append(overlay);
        }
        frames.push(frame);
        if (!cancelled) container.current?.append(frame);
      }
      if (!cancelled) setPreview({ kind: "drawn", total: doc.numPages });
    })().catch(() => !cancelled && setPreview({ kind: "failed" }));
    return () => {
      cancelled = true;
      for (const frame of frames) frame.remove();
      void task.destroy();
    };
    // t only labels the canvases; redrawing on a language switch is not worth it.
  }, [data, stampKey]);

  return (
    <figure className="pdf-preview" aria-label={t("doc.preview")}>
      <figcaption>{t("doc.preview")}</figcaption>
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
