/** Documents a Vietnamese portal sends: a two-page PDF in Vietnamese (DejaVu embedded) and a tax declaration XML. */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fontkit from "@cantoo/fontkit";
import { PDFDocument, rgb } from "@cantoo/pdf-lib";

export async function samplePdf(pages = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fontDir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  const font = await doc.embedFont(await readFile(join(fontDir, "DejaVuSans.ttf")), { subset: true });
  const bold = await doc.embedFont(await readFile(join(fontDir, "DejaVuSans-Bold.ttf")), { subset: true });
  doc.setTitle("Đơn đề nghị cấp giấy phép kinh doanh");
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { x: 150, y: 790, size: 13, font: bold });
    page.drawText("Độc lập - Tự do - Hạnh phúc", { x: 205, y: 770, size: 12, font });
    page.drawText("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP KINH DOANH", { x: 140, y: 720, size: 14, font: bold, color: rgb(0.05, 0.2, 0.5) });
    const lines = ["Kính gửi: Sở Kế hoạch và Đầu tư thành phố Hà Nội", "Tên doanh nghiệp: Công ty TNHH Thử Nghiệm", "Mã số thuế: 0101234567", `Trang ${n}/${pages}`];
    lines.forEach((text, i) => page.drawText(text, { x: 60, y: 670 - i * 24, size: 12, font }));
  }
  return doc.save({ useObjectStreams: false });
}

export function sampleTaxXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<HSoThueDTu xmlns="http://kekhaithue.gdt.gov.vn/TKhaiThue">
  <HSoKhaiThue id="ID_1">
    <TTinChung>
      <TTinTKhaiThue>
        <TKhaiThue>
          <maTKhai>842</maTKhai>
          <tenTKhai>Tờ khai thuế giá trị gia tăng (Mẫu 01/GTGT)</tenTKhai>
          <KyKKhaiThue><kieuKy>Q</kieuKy><kyKKhai>3/2026</kyKKhai></KyKKhaiThue>
          <soLan>0</soLan>
          <ngayLapTKhai>2026-10-20</ngayLapTKhai>
        </TKhaiThue>
        <NNT><mst>0101234567</mst><tenNNT>Công ty TNHH Thử Nghiệm</tenNNT></NNT>
      </TTinTKhaiThue>
    </TTinChung>
    <CTieuTKhaiChinh><ct22>0</ct22><ct23>150000000</ct23><ct24>15000000</ct24></CTieuTKhaiChinh>
  </HSoKhaiThue>
  <CKyDTu/>
</HSoThueDTu>
`;
}

/** An e-invoice (Decree 123/2020 layout) whose total is 11,000,000 VND, issued 2 Dec 2026. */
export function sampleEinvoiceXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<HDon>
  <DLHDon Id="data">
    <TTChung><KHMSHDon>1</KHMSHDon><KHHDon>C26TKS</KHHDon><SHDon>123</SHDon><NLap>2026-12-02</NLap><DVTTe>VND</DVTTe></TTChung>
    <NDHDon>
      <NBan><Ten>Công ty TNHH Thử Nghiệm</Ten><MST>0101234567</MST></NBan>
      <NMua><Ten>Công ty Cổ phần Mua Hàng</Ten><MST>0401234567</MST></NMua>
      <TToan><TgTTTBSo>11000000</TgTTTBSo><TgTTTBChu>Mười một triệu đồng chẵn</TgTTTBChu></TToan>
    </NDHDon>
  </DLHDon>
  <DSCKS><NBan/></DSCKS>
</HDon>
`;
}
