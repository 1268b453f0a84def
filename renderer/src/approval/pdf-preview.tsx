import { useEffect, useRef, useState } from "react";
import * as pdfjs from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import { useI18n } from "../i18n/index.js";

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/** Enough pages to recognise the document; the page count KySo read is shown above in any case. */
export const PREVIEW_PAGES = 3;
const PREVIEW_WIDTH = 560;

type Preview = { readonly kind: "loading" } | { readonly kind: "drawn"; readonly total: number } | { readonly kind: "failed" };

/**
 * Draws the first pages of the PDF KySo will sign, from the bytes the core holds (never fetched from the page).
 * pdf.js parses in its worker, which has no `window.kyso`; the result reaches this page as pixels on a canvas.
 */
export function PdfPreview({ data }: { data: Uint8Array }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [preview, setPreview] = useState<Preview>({ kind: "loading" });

  useEffect(() => {
    let cancelled = false;
    const task = pdfjs.getDocument({ data: data.slice(), isEvalSupported: false, enableXfa: false, stopAtErrors: false });
    const canvases: HTMLCanvasElement[] = [];
    (async () => {
      const doc = await task.promise;
      const count = Math.min(doc.numPages, PREVIEW_PAGES);
      for (let n = 1; n <= count && !cancelled; n++) {
        const page = await doc.getPage(n);
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (PREVIEW_WIDTH / base.width) * (window.devicePixelRatio || 1) });
        const canvas = document.createElement("canvas");
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.className = "pdf-page";
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", t("doc.page", { n, total: doc.numPages }));
        await page.render({ canvas, viewport }).promise;
        canvases.push(canvas);
        if (!cancelled) container.current?.append(canvas);
      }
      if (!cancelled) setPreview({ kind: "drawn", total: doc.numPages });
    })().catch(() => !cancelled && setPreview({ kind: "failed" }));
    return () => {
      cancelled = true;
      for (const canvas of canvases) canvas.remove();
      void task.destroy();
    };
    // t only labels the canvases; redrawing on a language switch is not worth it.
  }, [data]);

  return (
    <figure className="pdf-preview" aria-label={t("doc.preview")}>
      <figcaption>{t("doc.preview")}</figcaption>
      {preview.kind === "loading" ? <p role="status">{t("doc.previewLoading")}</p> : null}
      {preview.kind === "failed" ? <p className="warning">{t("doc.previewFailed")}</p> : null}
      {preview.kind === "drawn" && preview.total > PREVIEW_PAGES ? (
        <p className="muted">{t("doc.previewLimited", { shown: PREVIEW_PAGES, total: preview.total })}</p>
      ) : null}
      <div ref={container} className="pdf-pages" data-testid="pdf-pages" />
    </figure>
  );
}
