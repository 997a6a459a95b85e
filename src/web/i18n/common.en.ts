import type { commonVi } from "./common.vi.ts";

/** English for common.vi.ts. */
export const commonEn: Record<keyof typeof commonVi, string> = {
  "common.backToUnit": "Back to the unit",
  "common.year": "Year",
  "common.unit": "Unit",
  "common.total": "Total",
  "common.noData": "No figures yet",
  "common.save": "Save",
  "common.saving": "Saving…",
  "common.cancel": "Cancel",
  "common.edit": "Edit",
  "common.delete": "Delete",
  "common.filter": "Show",
  "common.filter.all": "All units",
  "common.filter.missing": "Units without figures",
  "common.filter.reported": "Units with figures",
  "common.exportXlsx": "Download Excel",
  "common.exportCsv": "Download CSV",
  "common.exportHint": "Download the list as shown (same filters, every page).",
};
