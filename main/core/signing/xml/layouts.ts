/**
 * Reads the fields the approval screen shows for the Vietnamese layouts, under their Vietnamese labels. Every read
 * starts at the element the signature covers (resolved by signed-node.ts, the same function the signer uses) and
 * follows the layout's fixed path of direct children: nothing is searched for elsewhere in the file, so a decoy
 * block before, after or beside the signed node cannot reach the summary.
 */
import type { Element } from "@xmldom/xmldom";

export const TAX_NS = "http://kekhaithue.gdt.gov.vn/TKhaiThue";

export type XmlLayout = "vn-tax" | "vn-einvoice" | "generic";

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

/** Tax declaration, read inside HSoKhaiThue/TTinChung/TTinTKhaiThue: who files which form for which period. */
export function taxSummary(declaration: Element): SummaryField[] {
  const info = textPath(declaration, "TTinChung", "TTinTKhaiThue");
  const form = info ? childByLocalName(info, "TKhaiThue") : undefined;
  const taxpayer = info ? childByLocalName(info, "NNT") : undefined;
  const period = form ? childByLocalName(form, "KyKKhaiThue") : undefined;
  return fields([
    ["Mã số thuế", textAt(taxpayer, "mst")],
    ["Tên người nộp thuế", textAt(taxpayer, "tenNNT")],
    ["Mẫu tờ khai", [textAt(form, "maTKhai"), textAt(form, "tenTKhai")].filter(Boolean).join(" - ") || undefined],
    ["Kỳ tính thuế", [textAt(period, "kieuKy"), textAt(period, "kyKKhai")].filter(Boolean).join(" ") || undefined],
    ["Lần khai", textAt(form, "soLan")],
    ["Ngày lập", textAt(form, "ngayLapTKhai")],
  ]);
}

function textPath(scope: Element, ...path: readonly string[]): Element | undefined {
  let node: Element | undefined = scope;
  for (const name of path) node = node ? childByLocalName(node, name) : undefined;
  return node;
}

/** E-invoice (Decree 123/2020), read inside DLHDon: number, parties and the total. */
export function einvoiceSummary(data: Element): SummaryField[] {
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

/** The summary of `layout`, read inside `signedNode` only (absent for generic XML). */
export function summaryOf(signedNode: Element | undefined, layout: XmlLayout): SummaryField[] {
  if (!signedNode) return [];
  if (layout === "vn-tax") return taxSummary(signedNode);
  if (layout === "vn-einvoice") return einvoiceSummary(signedNode);
  return [];
}
