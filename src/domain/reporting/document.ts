/**
 * The report as a document, before any file format: what the DOCX, the XLSX appendix and the
 * browser's printable preview all render. Pure data; every number is already formatted the
 * Vietnamese way ("1.612", "99,48%", "30.800.000 đồng") by the composer.
 *
 * Layout (Nghị định 30/2020/NĐ-CP): top left `issuer` (the body above, then the issuing body in
 * bold) and `number` ("Số: 51/BC-HKH"); top right the national motto block; `placeDate` in
 * italics, right; `title` ("BÁO CÁO") and `subject` centred, bold; `addressees` ("Kính gửi:");
 * the `blocks`; bottom left "Nơi nhận:" with `recipients`; bottom right the `signature`.
 */
export interface DocumentTable {
  /** header row(s): each a list of column labels */
  header: string[];
  rows: string[][];
  /** the last row is a total (bold) */
  hasTotal?: boolean;
}

export type DocumentBlock =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "table"; title?: string; table: DocumentTable };

export interface ReportDocument {
  issuer: { above?: string; name: string };
  number: string;
  placeDate: string;
  title: string;
  subject: string;
  addressees: string[];
  blocks: DocumentBlock[];
  recipients: string[];
  signature: { onBehalf?: string; title: string; name?: string };
}

/** An Excel appendix (PHỤ LỤC): sheets of typed cells, numbers kept as numbers. */
export type AppendixCell = string | number | null;
export interface AppendixColumn {
  header: string;
  /** how numbers in the column are shown: "#.##0", "0,00%"-like; text columns are "text" */
  format: "text" | "integer" | "money" | "decimal" | "percent";
  width?: number;
}
export interface AppendixSheet {
  name: string;
  title: string;
  subtitle?: string;
  columns: AppendixColumn[];
  rows: AppendixCell[][];
}
export interface Appendix {
  sheets: AppendixSheet[];
}
