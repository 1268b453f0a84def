/**
 * Reads the fields the approval screen shows for the Vietnamese layouts, as field names and typed raw values (the
 * renderer labels and formats them in the UI language: no label text lives here). Every read
 * starts at the element the signature covers (resolved by signed-node.ts, the same function the signer uses) and
 * follows the layout's fixed path of direct children: nothing is searched for elsewhere in the file, so a decoy
 * block before, after or beside the signed node cannot reach the summary.
 */
import type { Element } from "@xmldom/xmldom";
import type { TaxPeriodUnit, XmlSummaryField, XmlSummaryFieldName, XmlSummaryValue } from "../../../domain/document-description.js";

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


/** Longer free text is cut (a name or an amount in words is never this long; a hostile file may be). */
const MAX_VALUE_CHARS = 300;

function text(value: string | undefined): XmlSummaryValue | undefined {
  if (value === undefined) return undefined;
  return value.length > MAX_VALUE_CHARS ? { type: "text", text: value.slice(0, MAX_VALUE_CHARS), truncated: true } : { type: "text", text: value };
}

/** MST: 10 digits, or 10 digits, a dash and a 3-digit branch suffix; anything else is shown as written. */
function taxCode(value: string | undefined): XmlSummaryValue | undefined {
  return value !== undefined && /^\d{10}(-\d{3})?$/.test(value) ? { type: "taxCode", taxCode: value } : text(value);
}

/** xs:date as both layouts' schemas declare it (`yyyy-mm-dd`, a real calendar day); anything else as written. */
function date(value: string | undefined): XmlSummaryValue | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return text(value);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? { type: "date", date: value } : text(value);
}

/** A decimal amount kept as its digits (no float: 18-digit totals must not round); the currency only if ISO 4217-shaped. */
function amount(value: string | undefined, currency: string | undefined): XmlSummaryValue | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d{1,18}(\.\d{1,6})?$/.test(value)) return text([value, currency].filter(Boolean).join(" "));
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) return text(`${value} ${currency}`);
  return { type: "amount", amount: value, ...(currency ? { currency } : {}) };
}

function count(value: string | undefined): XmlSummaryValue | undefined {
  return value !== undefined && /^(0|[1-9]\d{0,5})$/.test(value) ? { type: "count", count: Number(value) } : text(value);
}

const PERIOD_UNITS: Readonly<Record<string, TaxPeriodUnit>> = { D: "day", M: "month", Q: "quarter", Y: "year" };

function taxPeriod(unit: string | undefined, period: string | undefined): XmlSummaryValue | undefined {
  const known = unit === undefined ? undefined : PERIOD_UNITS[unit];
  if (known && period !== undefined && period.length <= 20) return { type: "taxPeriod", unit: known, period };
  return text([unit, period].filter(Boolean).join(" ") || undefined);
}

function taxForm(code: string | undefined, name: string | undefined): XmlSummaryValue | undefined {
  if (code === undefined && name === undefined) return undefined;
  const cut = (v: string | undefined): string | undefined => (v === undefined ? undefined : v.slice(0, MAX_VALUE_CHARS));
  return { type: "taxForm", ...(code !== undefined ? { code: cut(code) } : {}), ...(name !== undefined ? { name: cut(name) } : {}) };
}

function fields(pairs: readonly (readonly [XmlSummaryFieldName, XmlSummaryValue | undefined])[]): XmlSummaryField[] {
  return pairs.filter((p): p is readonly [XmlSummaryFieldName, XmlSummaryValue] => p[1] !== undefined).map(([field, value]) => ({ field, value }));
}

/** Tax declaration, read inside HSoKhaiThue/TTinChung/TTinTKhaiThue: who files which form for which period. */
export function taxSummary(declaration: Element): XmlSummaryField[] {
  const info = textPath(declaration, "TTinChung", "TTinTKhaiThue");
  const form = info ? childByLocalName(info, "TKhaiThue") : undefined;
  const taxpayer = info ? childByLocalName(info, "NNT") : undefined;
  const period = form ? childByLocalName(form, "KyKKhaiThue") : undefined;
  return fields([
    ["taxCode", taxCode(textAt(taxpayer, "mst"))],
    ["taxpayerName", text(textAt(taxpayer, "tenNNT"))],
    ["taxForm", taxForm(textAt(form, "maTKhai"), textAt(form, "tenTKhai"))],
    ["taxPeriod", taxPeriod(textAt(period, "kieuKy"), textAt(period, "kyKKhai"))],
    ["filingNumber", count(textAt(form, "soLan"))],
    ["declaredOn", date(textAt(form, "ngayLapTKhai"))],
  ]);
}

function textPath(scope: Element, ...path: readonly string[]): Element | undefined {
  let node: Element | undefined = scope;
  for (const name of path) node = node ? childByLocalName(node, name) : undefined;
  return node;
}

/** E-invoice (Decree 123/2020), read inside DLHDon: number, parties and the total. */
export function einvoiceSummary(data: Element): XmlSummaryField[] {
  const general = childByLocalName(data, "TTChung");
  const content = childByLocalName(data, "NDHDon");
  const seller = content ? childByLocalName(content, "NBan") : undefined;
  const buyer = content ? childByLocalName(content, "NMua") : undefined;
  const payment = content ? childByLocalName(content, "TToan") : undefined;
  // The series symbol is the form digit followed by the series (KHMSHDon + KHHDon), as invoices print it.
  const series = [textAt(general, "KHMSHDon"), textAt(general, "KHHDon")].filter(Boolean).join("");
  return fields([
    ["invoiceSeries", text(series || undefined)],
    ["invoiceNumber", text(textAt(general, "SHDon"))],
    ["issuedOn", date(textAt(general, "NLap"))],
    ["sellerName", text(textAt(seller, "Ten"))],
    ["sellerTaxCode", taxCode(textAt(seller, "MST"))],
    ["buyerName", text(textAt(buyer, "Ten") ?? textAt(buyer, "HVTNMHang"))],
    ["buyerTaxCode", taxCode(textAt(buyer, "MST"))],
    ["totalAmount", amount(textAt(payment, "TgTTTBSo"), textAt(general, "DVTTe"))],
    ["totalInWords", text(textAt(payment, "TgTTTBChu"))],
  ]);
}

/** The summary of `layout`, read inside `signedNode` only (absent for generic XML). */
export function summaryOf(signedNode: Element | undefined, layout: XmlLayout): XmlSummaryField[] {
  if (!signedNode) return [];
  if (layout === "vn-tax") return taxSummary(signedNode);
  if (layout === "vn-einvoice") return einvoiceSummary(signedNode);
  return [];
}
