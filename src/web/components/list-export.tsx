/**
 * "Tải Excel" / "Tải CSV" beside a list: the list's own address with `/export.xlsx` or
 * `/export.csv` and the filters on screen (every page, not only the one shown). The server applies
 * the same scope and filters as the list and logs the download.
 */
import { query } from "../api.ts";
import { useT } from "../i18n/index.tsx";

type Params = Record<string, string | number | boolean | undefined | null>;

/** The list's download address in `format`, with the filters (paging left out). */
export function listExportUrl(path: string, format: "xlsx" | "csv", params: Params = {}): string {
  const { page: _page, pageSize: _pageSize, ...filters } = params;
  return `${path}/export.${format}${query(filters)}`;
}

export function ListExportLinks({ path, params }: { path: string; params?: Params }) {
  const t = useT();
  return (
    <p className="list-export" title={t("common.exportHint")}>
      <a className="download-link" href={listExportUrl(path, "xlsx", params)} download>
        {t("common.exportXlsx")}
      </a>{" "}
      ·{" "}
      <a className="download-link" href={listExportUrl(path, "csv", params)} download>
        {t("common.exportCsv")}
      </a>
    </p>
  );
}
