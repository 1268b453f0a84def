/**
 * Recognises the Vietnamese layouts and reads the fields the approval screen shows, under their Vietnamese labels.
 * Reading is by local name anywhere below the root, because portal files differ in namespaces and nesting.
 */
import type { Document, Element } from "@xmldom/xmldom";

export const TAX_NS = "http://kekhaithue.gdt.gov.vn/TKhaiThue";

export type XmlLayout = "vn-tax" | "vn-einvoice" | "generic";

export function detectLayout(doc: Document): XmlLayout {
  const root = doc.documentElement;
  if (!root) return "generic";
  if (root.localName === "HSoThueDTu" && firstByLocalName(root, "HSoKhaiThue")) return "vn-tax";
  if (root.localName === "HDon" && firstByLocalName(root, "DLHDon")) return "vn-einvoice";
  return "generic";
}

export function firstByLocalName(scope: Element, localName: string): Element | undefined {
  const all = scope.getElementsByTagNameNS("*", localName);
  return all.length > 0 ? (all.item(0) ?? undefined) : undefined;
}

/** Direct child by local name. */
export function childByLocalName(parent: Element, localName: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName) return n as Element;
  }
  return undefined;
}

export function textAt(scope: Element | undefined, ...path: readonly string[]): string | undefined {
  let node = scope;
  for (const name of path) node = node ? childByLocalName(node, name) : undefined;
  const value = node?.textContent?.trim();
  return value ? value : undefined;
}

/** The Id attribute portals use: `Id`, sometimes `id` or `ID`. */
export function idOf(element: Element): { name: string; value: string } | undefined {
  for (const name of ["Id", "id", "ID"]) {
    const value = element.getAttribute(name);
    if (value) return { name, value };
  }
  return undefined;
}

export interface SummaryField {
  readonly key: string;
  readonly value: string;
}

const MAX_VALUE_CHARS = 300;

function fields(pairs: readonly (readonly [string, string | undefined])[]): SummaryField[] {
  return pairs
    .filter((p): p is readonly [string, string] => p[1] !== undefined)
    .map(([key, value]) => ({ key, value: value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value }));
}

/** Tax declaration (HSoThueDTu/HSoKhaiThue/TTinChung/...): who files which form for which period. */
export function taxSummary(doc: Document): SummaryField[] {
  const root = doc.documentElement!;
  const text = (name: string): string | undefined => firstByLocalName(root, name)?.textContent?.trim() || undefined;
  const form = [text("maTKhai"), text("tenTKhai")].filter(Boolean).join(" - ") || undefined;
  const period = [text("kieuKy"), text("kyKKhai")].filter(Boolean).join(" ") || undefined;
  return fields([
    ["Mã số thuế", text("mst")],
    ["Tên người nộp thuế", text("tenNNT")],
    ["Mẫu tờ khai", form],
    ["Kỳ tính thuế", period],
    ["Lần khai", text("soLan")],
    ["Ngày lập", text("ngayLapTKhai")],
  ]);
}

/** E-invoice (Decree 123/2020 HDon/DLHDon): number, parties and the total. */
export function einvoiceSummary(doc: Document): SummaryField[] {
  const data = firstByLocalName(doc.documentElement!, "DLHDon")!;
  const general = childByLocalName(data, "TTChung");
  const content = childByLocalName(data, "NDHDon");
  const seller = content ? childByLocalName(content, "NBan") : undefined;
  const buyer = content ? childByLocalName(content, "NMua") : undefined;
  const payment = content ? childByLocalName(content, "TToan") : undefined;
  const series = [textAt(general, "KHMSHDon"), textAt(general, "KHHDon")].filter(Boolean).join("");
  return fields([
    ["Ký hiệu hóa đơn", series || undefined],
    ["Số hóa đơn", textAt(general, "SHDon")],
    ["Ngày lập", textAt(general, "NLap")],
    ["Người bán", textAt(seller, "Ten")],
    ["Mã số thuế người bán", textAt(seller, "MST")],
    ["Người mua", textAt(buyer, "Ten") ?? textAt(buyer, "HVTNMHang")],
    ["Mã số thuế người mua", textAt(buyer, "MST")],
    ["Tổng tiền thanh toán", [textAt(payment, "TgTTTBSo"), textAt(general, "DVTTe")].filter(Boolean).join(" ") || undefined],
    ["Số tiền bằng chữ", textAt(payment, "TgTTTBChu")],
  ]);
}

export function summaryOf(doc: Document, layout: XmlLayout): SummaryField[] {
  if (layout === "vn-tax") return taxSummary(doc);
  if (layout === "vn-einvoice") return einvoiceSummary(doc);
  return [];
}
