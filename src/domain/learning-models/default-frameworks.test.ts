import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  allCriteria,
  DERIVED_SOURCES,
  type DerivedSource,
  FrameworkDefinition,
  MODELS,
  maxTotal,
} from "./framework.ts";
import { type Answers, type DerivedValues, fullMarks, scoreAssessment } from "./scoring.ts";

/** The default frameworks shipped with the application. */
const dir = fileURLToPath(new URL("../../../resources/criteria-frameworks/", import.meta.url));
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort();

function load(name: string) {
  return FrameworkDefinition.safeParse(JSON.parse(readFileSync(`${dir}${name}`, "utf8")));
}

const frameworks = files.map((name) => {
  const parsed = load(name);
  if (!parsed.success) throw new Error(`${name}: ${JSON.stringify(parsed.error.issues)}`);
  return { name, framework: parsed.data };
});

/** Answers earning nothing (every criterion answered, so the assessment is complete). */
function zeroMarks(framework: FrameworkDefinition): { answers: Answers; derived: DerivedValues } {
  const answers: Answers = {};
  const derived: DerivedValues = {};
  for (const c of allCriteria(framework)) {
    if (c.derivedFrom) derived[c.derivedFrom] = 0;
    else answers[c.code] = c.input.kind === "yes_no" ? false : 0;
  }
  return { answers, derived };
}

describe("default criteria frameworks (resources/criteria-frameworks)", () => {
  it("has files, and every file parses as a FrameworkDefinition", () => {
    expect(files.length).toBeGreaterThanOrEqual(MODELS.length);
    for (const name of files) expect(load(name).success, name).toBe(true);
  });

  it("ships at least one framework for each of the six models", () => {
    const models = new Set(frameworks.map((f) => f.framework.model));
    for (const model of MODELS) expect(models.has(model), model).toBe(true);
  });

  it("names each file after its model", () => {
    for (const { name, framework } of frameworks)
      expect(name.startsWith(`${framework.model}-`), name).toBe(true);
  });

  it("states where each framework comes from and what is not known", () => {
    for (const { name, framework } of frameworks) {
      expect(framework.scope, name).toEqual({ kind: "national" });
      expect(framework.legalBasis.sources.length, name).toBeGreaterThan(0);
      for (const url of framework.legalBasis.sources) expect(url, name).toMatch(/^https?:\/\//);
      const placeholders = allCriteria(framework).filter((c) => /CHƯA XÁC MINH|KHUNG TẠM/.test(c.text));
      if (placeholders.length > 0) expect(framework.legalBasis.unknowns.length, name).toBeGreaterThan(0);
    }
  });

  it("derives only from known sources, and only percentage criteria", () => {
    for (const { name, framework } of frameworks) {
      for (const c of allCriteria(framework).filter((c) => c.derivedFrom)) {
        expect(Object.keys(DERIVED_SOURCES), name).toContain(c.derivedFrom as DerivedSource);
        expect(c.input.kind, `${name} ${c.code}`).toBe("percentage");
      }
    }
  });

  it("rates full marks as passing at the best level and no marks as not passing", () => {
    for (const { name, framework } of frameworks) {
      const full = fullMarks(framework);
      const best = scoreAssessment(framework, full.answers, full.derived);
      expect(best.complete, name).toBe(true);
      expect(best.total, name).toBe(maxTotal(framework));
      expect(best.rating.passing, name).toBe(true);
      expect(best.rating.code, name).toBe(framework.ratings[0]?.code);

      const zero = zeroMarks(framework);
      const worst = scoreAssessment(framework, zero.answers, zero.derived);
      expect(worst.complete, name).toBe(true);
      expect(worst.total, name).toBe(0);
      expect(worst.rating.passing, name).toBe(false);
      expect(worst.rating.label, name).toBe(framework.failLabel);
    }
  });
});

describe("Gia đình học tập (QĐ 448, phần A)", () => {
  const families = frameworks.filter((f) => f.framework.model === "gdht");
  const gdht = families.find((f) => f.framework.legalBasis.documentNumber === "448/QĐ-KHVN")?.framework;

  it("follows QĐ 448/QĐ-KHVN from 2016, kept in force until a newer version is published", () => {
    expect(gdht).toBeDefined();
    expect(gdht?.effectiveFromYear).toBe(2016);
    expect(gdht?.effectiveToYear).toBeNull();
    expect(gdht?.legalBasis.unknowns.join(" ")).toContain("2016–2020");
    expect(gdht?.legalBasis.issuer).toBe("Hội Khuyến học Việt Nam");
  });

  it("has the children's group: 30 points in three items of 10", () => {
    const children = gdht?.groups.find((g) => g.title === "Học tập của trẻ em trong gia đình");
    expect(children?.maxPoints).toBe(30);
    expect(children?.criteria.map((c) => c.maxPoints)).toEqual([10, 10, 10]);
  });

  it("has a second group about adults, worth 30 points", () => {
    const adults = gdht?.groups[1];
    expect(adults?.title).toBe("Học tập của người lớn trong gia đình");
    expect(adults?.maxPoints).toBe(30);
  });

  it("rates a fully scored family as passing and an all-zero family as not passing", () => {
    if (!gdht) throw new Error("no QĐ 448 family framework");
    const full = fullMarks(gdht);
    const passed = scoreAssessment(gdht, full.answers);
    expect(passed.total).toBe(maxTotal(gdht));
    expect(passed.rating).toMatchObject({ code: "dat", passing: true });

    const zero = zeroMarks(gdht);
    const failed = scoreAssessment(gdht, zero.answers);
    expect(failed.total).toBe(0);
    expect(failed.rating).toEqual({ code: null, label: "Chưa đạt", passing: false });
  });
});

describe("frameworks with derived criteria", () => {
  it("refuses a clan whose member households are below the GĐHT threshold", () => {
    const clan = frameworks.find((f) => f.framework.model === "dhht")?.framework;
    if (!clan) throw new Error("no clan framework");
    const { answers } = fullMarks(clan);
    const low = scoreAssessment(clan, answers, { "clan.member_households_gdht_percent": 10 });
    expect(low.rating.passing).toBe(false);
    expect(low.mandatoryUnmet).toContain("1.1");
    const unknown = scoreAssessment(clan, answers, {});
    expect(unknown.complete).toBe(false);
    expect(unknown.rating.passing).toBe(false);
  });

  it("rates a commune meeting only the level-1 indicators as Mức độ 1", () => {
    const commune = frameworks.find((f) => f.framework.model === "cdht_xa")?.framework;
    if (!commune) throw new Error("no commune framework");
    const answers: Answers = {};
    for (const c of allCriteria(commune)) answers[c.code] = c.mandatory;
    expect(scoreAssessment(commune, answers).rating).toMatchObject({ code: "muc_do_1", passing: true });
  });
});
