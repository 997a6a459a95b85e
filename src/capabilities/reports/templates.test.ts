/**
 * The shipped report templates (`resources/report-templates/*.json`): every file loads, is named
 * after its code and version, is consistent, and composes into a document that shows every
 * narrative it is given and every indicator that has a value.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Period, phase } from "../../domain/periods.ts";
import { composeAppendix, composeDocument } from "../../domain/reporting/compose.ts";
import type { DocumentBlock } from "../../domain/reporting/document.ts";
import { evaluateIndicators, formatValue } from "../../domain/reporting/evaluate.ts";
import { centreTemplate } from "../../domain/reporting/fixtures.ts";
import type { ReportTemplate, Value } from "../../domain/reporting/template.ts";
import { templateProblems } from "../../domain/reporting/template-checks.ts";
import { valueProblems } from "../../domain/reporting/validate.ts";
import { sourceProblems } from "./sources.ts";
import { DEFAULT_TEMPLATES_DIR, readDefaultTemplates } from "./templates.ts";

const loaded = readDefaultTemplates();
const files = readdirSync(DEFAULT_TEMPLATES_DIR).filter((name) => name.endsWith(".json"));

/** A period of the template's kind, for composing. */
function periodFor(t: ReportTemplate): Period {
  switch (t.periodKind) {
    case "year":
      return { kind: "year", year: 2024 };
    case "quarter":
      return { kind: "quarter", year: 2024, quarter: 3 };
    case "half_year":
      return { kind: "half_year", year: 2024, half: 1 };
    case "reporting_year":
      return { kind: "reporting_year", year: 2024, startMonth: t.startMonth ?? 11 };
    case "school_year":
      return { kind: "school_year", startYear: 2024 };
    case "phase":
      return phase(2016, 2020);
  }
}

/**
 * Sample values for every counter and typed indicator: the same count everywhere (so every
 * "≤" rule holds), a percent for typed percents; the previous period's values a little lower.
 */
function sampleBase(t: ReportTemplate, n: number): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const ind of t.indicators) {
    if (ind.kind === "formula") continue;
    out.set(ind.id, ind.valueType === "percent" ? 45.5 : n);
  }
  return out;
}

function sampleNarratives(t: ReportTemplate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of t.sections) if (s.kind === "narrative") out[s.key] = `Nội dung mục ${s.key}.`;
  return out;
}

const texts = (blocks: DocumentBlock[]) =>
  blocks.flatMap((b) => (b.kind === "table" ? [b.title ?? "", ...b.table.rows.flat()] : [b.text]));

function strings(x: unknown): string[] {
  if (typeof x === "string") return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (x && typeof x === "object") return Object.values(x).flatMap(strings);
  return [];
}

describe("the shipped report templates", () => {
  it("load every file without a problem", () => {
    expect(loaded.length).toBe(files.length);
    expect(loaded.map((l) => l.template.code)).toEqual(
      expect.arrayContaining([
        "association-annual",
        "association-quarterly",
        "centre-annual",
        "directive-review",
        "phase-review",
      ]),
    );
  });

  it("name each file <code>.v<version>.json, one file per code and version", () => {
    for (const { sourceKey, template } of loaded) {
      expect(sourceKey).toBe(`default:${template.code}.v${template.version}.json`);
    }
    const keys = loaded.map((l) => `${l.template.code}@${l.template.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("write their texts in NFC", () => {
    for (const name of files) {
      const raw = readFileSync(join(DEFAULT_TEMPLATES_DIR, name), "utf8");
      expect(raw.normalize("NFC"), name).toBe(raw);
      for (const s of strings(JSON.parse(raw))) expect(s.trim(), `${name}: «${s}»`).toBe(s);
    }
  });

  it("phase-review reproduces seed 003's literacy rates and its centres' funding", () => {
    const t = loaded.find((l) => l.template.code === "phase-review")?.template;
    if (!t) throw new Error("phase-review is not shipped");
    // Hòa An, 12/2019: the disjoint bands behind the text's 15–25, 15–35, 15–60 and the appendix.
    const base = new Map<string, Value>([
      ["pop_15_25", 7916],
      ["l1_15_25", 7844],
      ["l2_15_25", 7817],
      ["pop_26_35", 12210],
      ["l1_26_35", 12081],
      ["l2_26_35", 11959],
      ["pop_36_60", 19438],
      ["l1_36_60", 19202],
      ["l2_36_60", 18315],
      ["funding_operating", 25_000_000],
      ["funding_allowance", 15_552_000],
    ]);
    const v = evaluateIndicators(t, { base });
    expect(
      ["l1_15_25_pct", "l1_15_35_pct", "l1_15_60_pct", "l2_15_25_pct", "l2_15_35_pct", "l2_15_60_pct"].map(
        (id) => v.get(id),
      ),
    ).toEqual([99.09, 99, 98.9, 98.75, 98.26, 96.28]);
    expect([v.get("l2_26_35_pct"), v.get("l2_36_60_pct")]).toEqual([97.94, 94.22]);
    expect([v.get("pop_15_60"), v.get("l1_15_60"), v.get("l2_15_60")]).toEqual([39564, 39127, 38091]);
    expect(v.get("funding_total")).toBe(40_552_000);
  });

  describe.each(loaded.map((l) => [`${l.template.code} v${l.template.version}`, l.template] as const))(
    "%s",
    (_code, t) => {
      it("has no template or counter-source problems", () => {
        expect(templateProblems(t)).toEqual([]);
        expect(sourceProblems(t)).toEqual([]);
      });

      it("has unique indicator ids and section keys", () => {
        const ids = t.indicators.map((i) => i.id);
        const keys = t.sections.map((s) => s.key);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(keys).size).toBe(keys.length);
      });

      it("shows every indicator in a list or a table of the document", () => {
        const shown = new Set(
          t.sections.flatMap((s) =>
            s.kind === "indicators"
              ? s.indicators
              : s.kind === "table"
                ? s.rows.flatMap((r) => r.cells.filter((c): c is string => c !== null))
                : [],
          ),
        );
        expect(t.indicators.map((i) => i.id).filter((id) => !shown.has(id))).toEqual([]);
      });

      it("accepts the sample values under its rules", () => {
        const base = sampleBase(t, 120);
        const typed = Object.fromEntries(
          t.indicators.filter((i) => i.kind === "typed").map((i) => [i.id, base.get(i.id) ?? null]),
        );
        const all = evaluateIndicators(t, { base, previous: sampleBase(t, 100) });
        expect(valueProblems(t, typed, { all })).toEqual([]);
      });

      it("composes a document with every narrative title and every indicator that has a value", () => {
        const values = evaluateIndicators(t, { base: sampleBase(t, 120), previous: sampleBase(t, 100) });
        for (const ind of t.indicators) expect(values.get(ind.id), ind.id).not.toBeNull();
        const narratives = sampleNarratives(t);
        const doc = composeDocument({
          template: t,
          unit: { name: "Xã Bình Yên", parentName: "Huyện Thạch Thất" },
          issuerLabel: t.document.issuer === "association" ? "Hội Khuyến học Xã Bình Yên" : undefined,
          period: periodFor(t),
          number: null,
          issuedOn: "2025-01-09",
          place: "Bình Yên",
          values,
          narratives,
        });
        const all = texts(doc.blocks);
        const headings = doc.blocks.flatMap((b) => (b.kind === "heading" ? [b.text] : []));
        const paragraphs = doc.blocks.flatMap((b) => (b.kind === "paragraph" ? [b.text] : []));
        const byId = new Map(t.indicators.map((i) => [i.id, i]));

        for (const s of t.sections) {
          if (s.kind === "narrative") {
            expect(headings, s.key).toContain(s.title);
            expect(paragraphs, s.key).toContain(narratives[s.key]);
          } else if (s.kind === "heading" || s.kind === "indicators") {
            expect(headings, s.key).toContain(s.title);
          }
          if (s.kind === "indicators") {
            for (const id of s.indicators) {
              const ind = byId.get(id);
              expect(ind, id).toBeDefined();
              if (!ind) continue;
              const line = paragraphs.find((p) => p.startsWith(`- ${ind.label}: `));
              expect(line, `${s.key}: ${ind.label}`).toBeDefined();
              expect(line, id).toContain(formatValue(ind, values.get(id) ?? null));
              expect(line, id).not.toContain("—");
            }
          }
          if (s.kind === "table") {
            const block = doc.blocks.find((b) => b.kind === "table" && b.title === s.title);
            expect(block, s.key).toBeDefined();
            if (block?.kind !== "table") continue;
            s.rows.forEach((row, i) => {
              const printed = block.table.rows[i] ?? [];
              expect(printed[1], s.key).toBe(row.label);
              row.cells.forEach((id, j) => {
                const ind = id ? byId.get(id) : undefined;
                expect(printed[j + 2], `${s.key} ${row.label}`).toBe(
                  ind ? formatValue(ind, values.get(ind.id) ?? null) : "",
                );
              });
            });
          }
        }
        expect(all.join("\n")).not.toContain("{period}");
        expect(doc.subject).not.toMatch(/[{}]/);
        expect(doc.number).toBe(`Số:     /${t.document.numberSuffix}`);
      });

      it("composes its Excel appendix: every indicator, then a sheet per table", () => {
        const values = evaluateIndicators(t, { base: sampleBase(t, 120), previous: sampleBase(t, 100) });
        const appendix = composeAppendix({
          template: t,
          unit: { name: "Xã Bình Yên" },
          period: periodFor(t),
          number: null,
          issuedOn: "2025-01-09",
          place: "Bình Yên",
          values,
          narratives: {},
        });
        const [first, ...tables] = appendix.sheets;
        expect(first?.rows.map((r) => r[1])).toEqual(t.indicators.map((i) => i.label));
        expect(tables).toHaveLength(
          t.sections.filter((s) => s.kind === "table" || s.kind === "period_table").length,
        );
        for (const sheet of appendix.sheets) expect([...sheet.name].length).toBeLessThanOrEqual(31);
      });
    },
  );
});

describe("sourceProblems", () => {
  const withCounter = (
    periodKind: "year" | "quarter" | "reporting_year" | "phase",
    source: "events" | "literacy" | "agreements" | "association" | "models",
    metric: string,
  ) =>
    centreTemplate({
      periodKind,
      ...(periodKind === "reporting_year" ? { startMonth: 11 } : {}),
      indicators: [{ id: "x", kind: "counter", source, metric, label: "Chỉ tiêu x" }],
    });

  it("reads flows of a quarter or reporting year from months, distinct counts too, but not yearly states", () => {
    expect(sourceProblems(withCounter("quarter", "events", "participants:lifelong_learning_week"))).toEqual(
      [],
    );
    expect(sourceProblems(withCounter("reporting_year", "events", "events:*"))).toEqual([]);
    expect(sourceProblems(withCounter("year", "events", "held:lifelong_learning_week"))).toEqual([]);
    // Distinct counts of communes are counted at read time from the communes' months.
    expect(sourceProblems(withCounter("quarter", "events", "held:lifelong_learning_week"))).toEqual([]);
    expect(sourceProblems(withCounter("quarter", "agreements", "active"))).toEqual([
      "Chỉ tiêu «Chỉ tiêu x»: số liệu «active» chỉ được đếm theo năm, không cộng theo tháng cho loại kỳ «quarter».",
    ]);
    // Stocks and yearly cycles: a reporting year reads the year it ends in; a quarter cannot.
    expect(sourceProblems(withCounter("reporting_year", "association", "members"))).toEqual([]);
    expect(sourceProblems(withCounter("reporting_year", "models", "gdht:recognised"))).toEqual([]);
    expect(sourceProblems(withCounter("quarter", "association", "members"))).toHaveLength(1);
    // Literacy is counted at a moment of the year: a reporting year or a phase reads one year.
    expect(sourceProblems(withCounter("reporting_year", "literacy", "population:15-25"))).toEqual([]);
    expect(sourceProblems(withCounter("phase", "literacy", "l2:15-25"))).toEqual([]);
    expect(sourceProblems(withCounter("phase", "events", "events:*"))).toHaveLength(1);
    expect(sourceProblems(withCounter("quarter", "literacy", "population:15_25"))).toEqual([
      "Chỉ tiêu «Chỉ tiêu x»: số liệu Xóa mù chữ, phổ cập giáo dục không được đếm theo loại kỳ «quarter» của biểu mẫu.",
    ]);
  });
});
