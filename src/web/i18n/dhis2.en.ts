import type { dhis2Vi } from "./dhis2.vi.ts";

/** English text of the DHIS2 exchange screen (merged into en.ts). */
export const dhis2En: Record<keyof typeof dhis2Vi, string> = {
  "dhis2.link": "Exchange figures with DHIS2",
  "dhis2.title": "Exchange figures with DHIS2",
  "dhis2.intro":
    "DHIS2 is the statistics software many provinces use. Here you download the unit's figures as a file for DHIS2, and import targets from a DHIS2 file.",
  "dhis2.unitCode": "The unit's code in DHIS2 (official code): {code}",
  "dhis2.noCode":
    "{name} has no official code, so DHIS2 cannot know it; the file holds only the units below that have one.",

  "dhis2.export.title": "Download figures for DHIS2",
  "dhis2.export.intro":
    "The figures of {name} and of the units below with an official code, computed from the records now, in DHIS2's dataValueSets format. A unit without figures has no value (never 0).",
  "dhis2.periodKind": "Kind of period",
  "dhis2.periodKind.year": "Year",
  "dhis2.periodKind.quarter": "Quarter",
  "dhis2.periodKind.half_year": "Half-year",
  "dhis2.periodKind.reporting_year": "Financial year",
  "dhis2.startMonth": "Financial year starting in",
  "dhis2.startMonth.11": "November (the Association's year)",
  "dhis2.startMonth.10": "October",
  "dhis2.startMonth.7": "July",
  "dhis2.startMonth.4": "April",
  "dhis2.period": "Period",
  "dhis2.periodCode": "DHIS2 period code: {code}",
  "dhis2.download.json": "Download JSON",
  "dhis2.download.csv": "Download CSV",
  "dhis2.export.hint":
    "The DHIS2 administrator imports the file with dataElementIdScheme=CODE and orgUnitIdScheme=CODE: the data element codes are in the table at the bottom, the org unit codes are the official codes.",

  "dhis2.import.title": "Import targets from DHIS2",
  "dhis2.import.explain":
    "Values imported from DHIS2 only ever become targets of the periodic reports, never actual figures: actual figures are always computed from the system's records (households, the fund, activities…).",
  "dhis2.import.mode": "The file holds",
  "dhis2.import.mode.auto": "Only the target codes (…_CT)",
  "dhis2.import.mode.targets": "Every value is a target",
  "dhis2.import.modeHint":
    "A file usually uses the target codes (ending in _CT); values with a figure's code are skipped. Choose “Every value is a target” when a plan file uses the figures' own codes.",
  "dhis2.import.file": "Choose a DHIS2 file (.json or .csv)",
  "dhis2.import.fileHint":
    "A dataValueSets file exported from DHIS2 with idScheme=CODE. It is checked first; nothing is written until you press Import.",
  "dhis2.import.checking": "Checking {file}…",
  "dhis2.import.importing": "Importing {file}…",
  "dhis2.import.checked": "Result of the check",
  "dhis2.import.imported": "Result of the import",
  "dhis2.import.fileName": "File: {file}",
  "dhis2.import.summary": "{total} values: {targets} targets, {skipped} skipped, {errors} errors.",
  "dhis2.import.blocked":
    "{count} values have errors. The file is imported only when every value is right (all or nothing): fix it and choose it again.",
  "dhis2.import.nothing":
    "The file holds no target to import. If it uses figure codes for targets, choose “Every value is a target”.",
  "dhis2.import.commit": "Import {count} targets",
  "dhis2.import.done": "Imported {count} targets. No actual figure changed.",
  "dhis2.import.chooseAnother": "Choose another file",
  "dhis2.import.values": "The file's values",
  "dhis2.import.asTarget": "“{indicator}” — {template}",
  "dhis2.import.viewReports": "See the targets in the reports",
  "dhis2.import.viewReport": "{template} — {unit} — {period}",
  "dhis2.col.row": "Row",
  "dhis2.col.element": "Data element",
  "dhis2.col.unit": "Unit",
  "dhis2.col.period": "Period",
  "dhis2.col.value": "Value",
  "dhis2.col.result": "Result",
  "dhis2.status.target": "Target",
  "dhis2.status.skipped": "Skipped",
  "dhis2.status.error": "Error",

  "dhis2.mapping": "Data element codes (for the DHIS2 administrator)",
  "dhis2.mapping.version": "Version {version}: {count} data elements.",
  "dhis2.mapping.code": "Code",
  "dhis2.mapping.name": "Name",
  "dhis2.mapping.target": "Target code",
  "dhis2.mapping.periods": "Period types",
};
