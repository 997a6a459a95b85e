import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  childPath,
  creatableChildKinds,
  isAllowedChild,
  isValidOn,
  KIND_LABELS_VI,
  OFFICIAL_KINDS,
  ORG_UNIT_KINDS,
  type OrgUnitKind,
  pathIds,
  REFORM_2025_EFFECTIVE,
  REFORM_2025_LAST_DAY_OF_OLD,
  SINGLETON_CHILD_KINDS,
} from "./org-units.ts";

const kind = fc.constantFrom(...ORG_UNIT_KINDS);
const isoDate = fc
  .date({ min: new Date("1945-09-02T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const unitId = fc.integer({ min: 1, max: 2_000_000 });
/** A materialised path from the root: '/', '/1/', '/1/2/35/'. */
const path = fc.array(unitId, { maxLength: 8 }).map((ids) => ids.reduce(childPath, "/"));

describe("kinds", () => {
  it("lists the eleven kinds of the tree", () => {
    expect(ORG_UNIT_KINDS).toEqual([
      "nation",
      "province",
      "cluster",
      "district",
      "commune",
      "village",
      "agency",
      "school",
      "enterprise",
      "commune_body",
      "learning_centre",
    ]);
  });

  it("marks nation, province, district and commune as official", () => {
    expect([...OFFICIAL_KINDS].sort()).toEqual(["commune", "district", "nation", "province"]);
  });

  it("has a distinct Vietnamese label for every kind", () => {
    expect(Object.keys(KIND_LABELS_VI).sort()).toEqual([...ORG_UNIT_KINDS].sort());
    const labels = Object.values(KIND_LABELS_VI);
    expect(new Set(labels).size).toBe(labels.length);
    expect(KIND_LABELS_VI.commune).toBe("Xã/Phường/Đặc khu");
    expect(KIND_LABELS_VI.village).toBe("Thôn/Bản/Ấp/Tổ dân phố");
    expect(KIND_LABELS_VI.learning_centre).toBe("Trung tâm học tập cộng đồng");
    for (const label of labels) expect(label).toBe(label.normalize("NFC"));
  });

  it("allows only one community learning centre per commune", () => {
    expect([...SINGLETON_CHILD_KINDS]).toEqual(["learning_centre"]);
  });
});

describe("isAllowedChild", () => {
  it("follows the tree nation → province → (cluster) → commune → village", () => {
    expect(isAllowedChild("nation", "province")).toBe(true);
    expect(isAllowedChild("province", "commune")).toBe(true);
    expect(isAllowedChild("province", "cluster")).toBe(true);
    expect(isAllowedChild("cluster", "commune")).toBe(true);
    expect(isAllowedChild("commune", "village")).toBe(true);
    expect(isAllowedChild("commune", "learning_centre")).toBe(true);
    expect(isAllowedChild("province", "district")).toBe(true);
    // A pre-2025 district holds its old communes (formed by an administrator, never by hand).
    expect(isAllowedChild("district", "commune")).toBe(true);
  });

  it("refuses skipped levels, upward links and children of leaves", () => {
    expect(isAllowedChild("nation", "commune")).toBe(false);
    expect(isAllowedChild("province", "village")).toBe(false);
    expect(isAllowedChild("commune", "commune")).toBe(false);
    expect(isAllowedChild("commune", "province")).toBe(false);
    expect(isAllowedChild("cluster", "cluster")).toBe(false);
    expect(isAllowedChild("province", "learning_centre")).toBe(false);
    expect(isAllowedChild("district", "village")).toBe(false);
    expect(isAllowedChild("village", "agency")).toBe(false);
  });

  it("lets nothing be created by hand under districts (history only) or the leaf kinds", () => {
    expect(creatableChildKinds("district")).toEqual([]);
    for (const leaf of [
      "village",
      "agency",
      "school",
      "enterprise",
      "commune_body",
      "learning_centre",
    ] as const) {
      for (const child of ORG_UNIT_KINDS) expect(isAllowedChild(leaf, child)).toBe(false);
      expect(creatableChildKinds(leaf)).toEqual([]);
    }
  });

  it("never nests a nation, and puts every other kind under at least one parent", () => {
    for (const child of ORG_UNIT_KINDS) {
      const parents = ORG_UNIT_KINDS.filter((p) => isAllowedChild(p, child));
      if (child === "nation") expect(parents).toEqual([]);
      else expect(parents.length).toBeGreaterThan(0);
    }
    expect(ORG_UNIT_KINDS.filter((p) => isAllowedChild(p, "learning_centre"))).toEqual(["commune"]);
    expect(ORG_UNIT_KINDS.filter((p) => isAllowedChild(p, "village"))).toEqual(["commune"]);
    expect(ORG_UNIT_KINDS.filter((p) => isAllowedChild(p, "province"))).toEqual(["nation"]);
  });

  it("has no cycles: no kind can be its own descendant", () => {
    const descendants = (k: OrgUnitKind, seen = new Set<OrgUnitKind>()): Set<OrgUnitKind> => {
      for (const c of ORG_UNIT_KINDS) {
        if (isAllowedChild(k, c) && !seen.has(c)) {
          seen.add(c);
          descendants(c, seen);
        }
      }
      return seen;
    };
    for (const k of ORG_UNIT_KINDS) expect(descendants(k).has(k)).toBe(false);
    expect(descendants("nation").size).toBe(ORG_UNIT_KINDS.length - 1);
  });
});

describe("creatableChildKinds", () => {
  it.each<[OrgUnitKind, OrgUnitKind[]]>([
    ["nation", ["agency"]],
    ["province", ["cluster", "agency", "school", "enterprise"]],
    ["cluster", ["agency", "school", "enterprise"]],
    ["commune", ["village", "agency", "school", "enterprise", "commune_body", "learning_centre"]],
  ])("under %s: %j", (parent, expected) => {
    expect(creatableChildKinds(parent)).toEqual(expected);
  });

  it("is the allowed children minus the official kinds", () => {
    fc.assert(
      fc.property(kind, kind, (parent, child) => {
        expect(creatableChildKinds(parent).includes(child)).toBe(
          isAllowedChild(parent, child) && !OFFICIAL_KINDS.has(child),
        );
      }),
    );
  });

  it("returns a fresh array each time", () => {
    const first = creatableChildKinds("commune");
    first.pop();
    expect(creatableChildKinds("commune")).toHaveLength(6);
  });
});

describe("reform of 2025", () => {
  it("ends the old units on 30 June and starts the new ones on 1 July 2025", () => {
    expect(REFORM_2025_LAST_DAY_OF_OLD).toBe("2025-06-30");
    expect(REFORM_2025_EFFECTIVE).toBe("2025-07-01");
  });
});

describe("isValidOn", () => {
  const oldCommune = { valid_from: null, valid_to: REFORM_2025_LAST_DAY_OF_OLD }; // Xã Thanh Định
  const newCommune = { valid_from: REFORM_2025_EFFECTIVE, valid_to: null }; // Xã Bình Yên
  const always = { valid_from: null, valid_to: null };

  it("includes both ends of the validity interval", () => {
    expect(isValidOn(oldCommune, "2025-06-30")).toBe(true);
    expect(isValidOn(oldCommune, "2025-07-01")).toBe(false);
    expect(isValidOn(newCommune, "2025-06-30")).toBe(false);
    expect(isValidOn(newCommune, "2025-07-01")).toBe(true);
    const oneDay = { valid_from: "2024-02-29", valid_to: "2024-02-29" };
    expect(isValidOn(oneDay, "2024-02-29")).toBe(true);
    expect(isValidOn(oneDay, "2024-02-28")).toBe(false);
    expect(isValidOn(oneDay, "2024-03-01")).toBe(false);
  });

  it("treats null bounds as open", () => {
    expect(isValidOn(always, "1945-09-02")).toBe(true);
    expect(isValidOn(oldCommune, "1990-01-01")).toBe(true);
    expect(isValidOn(newCommune, "2099-12-31")).toBe(true);
  });

  it("compares dates across month and year boundaries correctly", () => {
    const unit = { valid_from: "2019-12-31", valid_to: "2020-10-01" };
    expect(isValidOn(unit, "2019-12-30")).toBe(false);
    expect(isValidOn(unit, "2020-01-01")).toBe(true);
    expect(isValidOn(unit, "2020-09-30")).toBe(true);
    expect(isValidOn(unit, "2020-10-02")).toBe(false);
  });

  it("agrees with comparing the dates as times", () => {
    const bound = fc.option(isoDate, { nil: null });
    fc.assert(
      fc.property(bound, bound, isoDate, (from, to, date) => {
        const t = Date.parse(date);
        const expected = (from === null || Date.parse(from) <= t) && (to === null || t <= Date.parse(to));
        expect(isValidOn({ valid_from: from, valid_to: to }, date)).toBe(expected);
      }),
    );
  });

  it("never has an old unit and its successor current on the same day", () => {
    fc.assert(
      fc.property(isoDate, (date) => {
        expect(isValidOn(oldCommune, date) !== isValidOn(newCommune, date)).toBe(true);
      }),
    );
  });
});

describe("paths", () => {
  it("appends a child's id and a slash", () => {
    expect(childPath("/", 1)).toBe("/1/");
    expect(childPath("/1/2/", 35)).toBe("/1/2/35/");
  });

  it("reads the ids back, root first", () => {
    expect(pathIds("/1/2/35/")).toEqual([1, 2, 35]);
    expect(pathIds("/1/")).toEqual([1]);
    expect(pathIds("/")).toEqual([]);
  });

  it("round-trips: the ids of a child's path are the parent's ids plus the child's", () => {
    fc.assert(
      fc.property(path, unitId, (parent, id) => {
        const child = childPath(parent, id);
        expect(pathIds(child)).toEqual([...pathIds(parent), id]);
        expect(child.startsWith(parent)).toBe(true);
        expect(child).toMatch(/^\/(\d+\/)+$/u);
        expect(`/${pathIds(child).join("/")}/`).toBe(child);
      }),
    );
  });
});
