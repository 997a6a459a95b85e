import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { childPath, pathIds } from "../domain/org-units.ts";
import {
  ACTIONS,
  type Action,
  coversAll,
  decide,
  grantedActions,
  isInScope,
  isOnLineOfScope,
  isStrictlyBelowScope,
  type Principal,
  PUBLIC,
  ROLES,
  type Role,
  roleGrants,
} from "./policy.ts";

/** Actions that change organisation data or other users (account.self is one's own password). */
const WRITE_ACTIONS: readonly Action[] = [
  "org_unit.create",
  "org_unit.update",
  "org_unit.import",
  "user.manage",
  "framework.manage",
  "registry.write",
  "evaluation.write",
  "evaluation.review",
  "evaluation.decide",
  "target.manage",
  "fund.write",
  "fund.manage",
  "fund.reopen",
  "centre.write",
  "centre.rate",
  // Events and coordination agreements
  "event.write",
  "agreement.write",
  "inspection.write",
  "commendation.write",
  // Association membership
  "association.write",
  "association.manage",
  // literacy and universal education
  "literacy.write",
  // periodic reports
  "report.write",
  "report.review",
  "report.request",
];

const READS = [
  "framework.read",
  "registry.read",
  "evaluation.read",
  "stats.read",
  "fund.read",
  "centre.read",
  // Events and coordination agreements
  "event.read",
  "agreement.read",
  "inspection.read",
  "commendation.read",
  // Association membership
  "association.read",
  // literacy and universal education
  "literacy.read",
  "report.read",
] as const;

/** The expected grants, written out by hand: role → the actions it may perform. */
const EXPECTED_GRANTS: Record<Role, readonly Action[]> = {
  admin: [
    "org_unit.read",
    "org_unit.create",
    "org_unit.update",
    "org_unit.import",
    "user.read",
    "user.manage",
    "audit.read",
    "account.self",
    ...READS,
    "framework.manage",
    "registry.write",
    "evaluation.write",
    "evaluation.review",
    "evaluation.decide",
    "target.manage",
    "fund.write",
    "fund.manage",
    "fund.reopen",
    "centre.write",
    "centre.rate",
    // Events and coordination agreements
    "event.write",
    "agreement.write",
    "inspection.write",
    "commendation.write",
    "association.write",
    "association.manage",
    // literacy and universal education
    "literacy.write",
    "report.write",
    "report.review",
    "report.request",
    "data.import",
    "system.backup",
  ],
  officer: [
    "org_unit.read",
    "org_unit.create",
    "org_unit.update",
    "audit.read",
    "account.self",
    ...READS,
    "registry.write",
    "evaluation.write",
    "evaluation.review",
    "evaluation.decide",
    "target.manage",
    "fund.write",
    "fund.manage",
    "centre.write",
    "centre.rate",
    // Events and coordination agreements
    "event.write",
    "agreement.write",
    "inspection.write",
    "commendation.write",
    "association.write",
    "association.manage",
    // literacy and universal education
    "literacy.write",
    "report.write",
    "report.review",
    "report.request",
    "data.import",
  ],
  data_entry: [
    "org_unit.read",
    "account.self",
    ...READS,
    "registry.write",
    "evaluation.write",
    "fund.write",
    "centre.write",
    // Events and coordination agreements
    "event.write",
    "association.write",
    "report.write",
    "data.import",
  ],
  viewer: ["org_unit.read", "account.self", ...READS],
};

// Paths are materialised from the root with a leading and a trailing slash: '/1/2/35/'.
// Ids are drawn from a small range so that sibling ids sharing a textual prefix (2 and 23) are common.
const smallId = fc.integer({ min: 1, max: 40 });
const path = fc.array(smallId, { minLength: 1, maxLength: 5 }).map((ids) => ids.reduce(childPath, "/"));
const scopePaths = fc.array(path, { maxLength: 4 });
const role = fc.constantFrom(...ROLES);
const action = fc.constantFrom(...ACTIONS);
/** Scope paths with a target that is often, but not always, inside them. */
const scopesAndTarget = scopePaths.chain((scopes) =>
  fc.tuple(
    fc.constant(scopes),
    scopes.length === 0
      ? path
      : fc.oneof(
          path,
          fc
            .tuple(fc.constantFrom(...scopes), fc.array(smallId, { maxLength: 3 }))
            .map(([s, below]) => below.reduce(childPath, s)),
        ),
  ),
);
/** Non-empty scope paths with a target inside them. */
const scopesAndInsideTarget = fc.array(path, { minLength: 1, maxLength: 4 }).chain((scopes) =>
  fc.tuple(
    fc.constant(scopes),
    fc
      .tuple(fc.constantFrom(...scopes), fc.array(smallId, { maxLength: 3 }))
      .map(([s, below]) => below.reduce(childPath, s)),
  ),
);
const principal = (r: Role, scopes: readonly string[]): Principal => ({
  userId: 7,
  username: "canbo.a",
  role: r,
  scopePaths: scopes,
  via: "session",
});
const anyPrincipal = fc.record({
  userId: fc.integer({ min: 1 }),
  username: fc.string({ minLength: 1 }),
  role,
  scopePaths,
  via: fc.constantFrom("session" as const, "token" as const),
});
/** Is `ancestor` the same unit as `p` or above it in the tree (compared id by id)? */
const isAncestorOrSelf = (ancestor: string, p: string) => {
  const a = pathIds(ancestor);
  const b = pathIds(p);
  return a.length <= b.length && a.every((id, i) => b[i] === id);
};

// Xã Bình Yên (in Tỉnh Thái Nguyên) and its neighbours, as materialised paths.
const NATION = "/1/";
const THAI_NGUYEN = "/1/2/";
const BINH_YEN = "/1/2/35/";
const THON_DONG_TAM = "/1/2/35/401/";
const CAO_BANG = "/1/23/";
const HOA_AN = "/1/23/36/";
const OTHER_COMMUNE = "/1/2/350/";

describe("roles and actions", () => {
  it("lists the roles and actions", () => {
    expect(ROLES).toEqual(["admin", "officer", "data_entry", "viewer"]);
    expect(ACTIONS).toEqual([
      "org_unit.read",
      "org_unit.create",
      "org_unit.update",
      "org_unit.import",
      "user.read",
      "user.manage",
      "audit.read",
      "account.self",
      "framework.read",
      "framework.manage",
      "registry.read",
      "registry.write",
      "evaluation.read",
      "evaluation.write",
      "evaluation.review",
      "evaluation.decide",
      "stats.read",
      "target.manage",
      "fund.read",
      "fund.write",
      "fund.manage",
      "fund.reopen",
      "centre.read",
      "centre.write",
      "centre.rate",
      // Events and coordination agreements
      "event.read",
      "event.write",
      "agreement.read",
      "agreement.write",
      "inspection.read",
      "inspection.write",
      "commendation.read",
      "commendation.write",
      "association.read",
      "association.write",
      "association.manage",
      // literacy and universal education
      "literacy.read",
      "literacy.write",
      "report.read",
      "report.write",
      "report.review",
      "report.request",
      "data.import",
      "system.backup",
    ]);
    expect(PUBLIC).toBe("public");
    expect(ACTIONS).not.toContain(PUBLIC);
  });

  it.each(ROLES.flatMap((r) => ACTIONS.map((a) => [r, a, EXPECTED_GRANTS[r].includes(a)] as const)))(
    "%s may %s: %s",
    (r, a, expected) => {
      expect(roleGrants(r, a)).toBe(expected);
    },
  );

  it("derives the granted actions of each role, in the order of ACTIONS", () => {
    for (const r of ROLES) {
      expect(grantedActions(r)).toEqual(ACTIONS.filter((a) => EXPECTED_GRANTS[r].includes(a)));
      expect(grantedActions(r)).toHaveLength(new Set(EXPECTED_GRANTS[r]).size);
    }
  });

  it("grants nested privileges: viewer ⊆ data_entry ⊆ officer ⊆ admin", () => {
    const chain: Role[] = ["viewer", "data_entry", "officer", "admin"];
    for (let i = 1; i < chain.length; i++) {
      const lower = chain[i - 1] as Role;
      const higher = chain[i] as Role;
      for (const a of grantedActions(lower)) expect(roleGrants(higher, a)).toBe(true);
    }
  });

  it("lets only administrators import units, manage or list users, edit criteria frameworks and reopen a closed fund year", () => {
    for (const a of [
      "org_unit.import",
      "user.manage",
      "user.read",
      "framework.manage",
      "fund.reopen",
      "system.backup",
    ] as const) {
      expect(ROLES.filter((r) => roleGrants(r, a))).toEqual(["admin"]);
    }
  });

  it("lets every role read units and manage their own account", () => {
    for (const r of ROLES) {
      expect(roleGrants(r, "org_unit.read")).toBe(true);
      expect(roleGrants(r, "account.self")).toBe(true);
    }
  });

  it("never grants a viewer any write", () => {
    for (const a of WRITE_ACTIONS) expect(roleGrants("viewer", a)).toBe(false);
  });
});

describe("isInScope", () => {
  it("includes the scope unit itself and everything below it", () => {
    expect(isInScope([BINH_YEN], BINH_YEN)).toBe(true);
    expect(isInScope([BINH_YEN], THON_DONG_TAM)).toBe(true);
    expect(isInScope([THAI_NGUYEN], THON_DONG_TAM)).toBe(true);
    expect(isInScope([NATION], HOA_AN)).toBe(true);
  });

  it("excludes the units above the scope unit", () => {
    expect(isInScope([BINH_YEN], THAI_NGUYEN)).toBe(false);
    expect(isInScope([BINH_YEN], NATION)).toBe(false);
    expect(isInScope([BINH_YEN], "/")).toBe(false);
  });

  it("does not confuse siblings whose ids share a textual prefix (2 and 23, 35 and 350)", () => {
    expect(isInScope([THAI_NGUYEN], CAO_BANG)).toBe(false);
    expect(isInScope([THAI_NGUYEN], HOA_AN)).toBe(false);
    expect(isInScope([BINH_YEN], OTHER_COMMUNE)).toBe(false);
    expect(isInScope([CAO_BANG], THAI_NGUYEN)).toBe(false);
    expect(isInScope(["/1/2/3/"], "/1/2/35/")).toBe(false);
  });

  it("excludes other branches and an empty scope", () => {
    expect(isInScope([BINH_YEN], HOA_AN)).toBe(false);
    expect(isInScope([], BINH_YEN)).toBe(false);
    expect(isInScope([], NATION)).toBe(false);
  });

  it("accepts a target inside any one of several scope units", () => {
    const scopes = [BINH_YEN, HOA_AN];
    expect(isInScope(scopes, THON_DONG_TAM)).toBe(true);
    expect(isInScope(scopes, "/1/23/36/9/")).toBe(true);
    expect(isInScope(scopes, CAO_BANG)).toBe(false);
    expect(isInScope(scopes, OTHER_COMMUNE)).toBe(false);
  });

  it("is true exactly when a scope unit is the target or one of its ancestors (id by id)", () => {
    fc.assert(
      fc.property(scopesAndTarget, ([scopes, target]) => {
        expect(isInScope(scopes, target)).toBe(scopes.some((s) => isAncestorOrSelf(s, target)));
      }),
    );
  });

  it("never lets a sibling of a scope unit in, whatever the ids", () => {
    fc.assert(
      fc.property(path, fc.integer({ min: 1 }), fc.integer({ min: 1 }), (parent, a, b) => {
        fc.pre(a !== b);
        expect(isInScope([childPath(parent, a)], childPath(parent, b))).toBe(false);
        expect(isInScope([childPath(parent, a)], childPath(childPath(parent, b), a))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(path, smallId, fc.integer({ min: 0, max: 999 }), (parent, id, suffix) => {
        // An id whose decimal digits extend the scope's id (2 → 23, 35 → 350).
        const sibling = Number(`${id}${suffix}`);
        expect(isInScope([childPath(parent, id)], childPath(parent, sibling))).toBe(false);
      }),
    );
  });

  it("is monotone: every descendant of an in-scope unit is in scope", () => {
    fc.assert(
      fc.property(
        scopesAndInsideTarget,
        fc.array(fc.integer({ min: 1 }), { maxLength: 4 }),
        ([scopes, target], below) => {
          expect(isInScope(scopes, target)).toBe(true);
          expect(isInScope(scopes, below.reduce(childPath, target))).toBe(true);
        },
      ),
    );
  });

  it("is monotone in the scope: more scope units never take a unit out of scope", () => {
    fc.assert(
      fc.property(scopesAndTarget, scopePaths, ([scopes, target], more) => {
        fc.pre(isInScope(scopes, target));
        expect(isInScope([...scopes, ...more], target)).toBe(true);
        expect(isInScope([...more, ...scopes], target)).toBe(true);
      }),
    );
  });

  it("keeps the ancestors of a single scope unit out of scope", () => {
    fc.assert(
      fc.property(path, (scope) => {
        const ids = pathIds(scope);
        for (let depth = 0; depth < ids.length; depth++) {
          expect(isInScope([scope], ids.slice(0, depth).reduce(childPath, "/"))).toBe(false);
        }
      }),
    );
  });
});

describe("coversAll", () => {
  it("checks every path against the scope", () => {
    expect(coversAll([THAI_NGUYEN], [BINH_YEN, THON_DONG_TAM, OTHER_COMMUNE])).toBe(true);
    expect(coversAll([THAI_NGUYEN], [BINH_YEN, HOA_AN])).toBe(false);
    expect(coversAll([BINH_YEN], [THAI_NGUYEN])).toBe(false);
    expect(coversAll([BINH_YEN, HOA_AN], [THON_DONG_TAM, HOA_AN])).toBe(true);
  });

  it("covers nothing-to-delegate, even with an empty scope", () => {
    expect(coversAll([], [])).toBe(true);
    expect(coversAll([BINH_YEN], [])).toBe(true);
    expect(coversAll([], [BINH_YEN])).toBe(false);
  });

  it("is isInScope for each path, and a scope always covers itself", () => {
    fc.assert(
      fc.property(scopePaths, fc.array(path, { maxLength: 5 }), (scopes, paths) => {
        expect(coversAll(scopes, paths)).toBe(paths.every((p) => isInScope(scopes, p)));
        expect(coversAll(scopes, scopes)).toBe(true);
      }),
    );
  });

  it("lets an administrator delegate only within their own scope (transitive)", () => {
    const nonEmpty = fc.array(path, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(nonEmpty, nonEmpty, fc.nat(), path, (mine, extensions, pick, within) => {
        // Delegated scope units at or below one of mine, and a target at or below one of those.
        const delegated = extensions.map((e, i) =>
          pathIds(e)
            .slice(1)
            .reduce(childPath, mine[i % mine.length] ?? "/"),
        );
        const target = pathIds(within)
          .slice(1)
          .reduce(childPath, delegated[pick % delegated.length] ?? "/");
        expect(coversAll(mine, delegated)).toBe(true);
        expect(isInScope(delegated, target)).toBe(true);
        expect(isInScope(mine, target)).toBe(true);
      }),
    );
  });
});

describe("decide", () => {
  it("allows a granted action inside the scope", () => {
    expect(decide(principal("officer", [BINH_YEN]), "org_unit.create", THON_DONG_TAM)).toEqual({
      allowed: true,
    });
    expect(decide(principal("viewer", [BINH_YEN]), "org_unit.read", BINH_YEN)).toEqual({ allowed: true });
    expect(decide(principal("data_entry", [THAI_NGUYEN]), "org_unit.read", THON_DONG_TAM)).toEqual({
      allowed: true,
    });
  });

  it("refuses an action the role does not grant, with reason 'role'", () => {
    expect(decide(principal("viewer", [BINH_YEN]), "org_unit.create", THON_DONG_TAM)).toEqual({
      allowed: false,
      reason: "role",
    });
    expect(decide(principal("officer", [NATION]), "user.manage")).toEqual({ allowed: false, reason: "role" });
    expect(decide(principal("data_entry", [BINH_YEN]), "audit.read", BINH_YEN)).toEqual({
      allowed: false,
      reason: "role",
    });
  });

  it("refuses a target outside the scope, with reason 'scope'", () => {
    expect(decide(principal("officer", [BINH_YEN]), "org_unit.update", HOA_AN)).toEqual({
      allowed: false,
      reason: "scope",
    });
    expect(decide(principal("officer", [THAI_NGUYEN]), "org_unit.update", CAO_BANG)).toEqual({
      allowed: false,
      reason: "scope",
    });
    expect(decide(principal("admin", [BINH_YEN]), "org_unit.read", THAI_NGUYEN)).toEqual({
      allowed: false,
      reason: "scope",
    });
  });

  it("checks the role before the scope", () => {
    expect(decide(principal("viewer", [BINH_YEN]), "user.manage", HOA_AN)).toEqual({
      allowed: false,
      reason: "role",
    });
  });

  it("checks only the role when there is no target", () => {
    expect(decide(principal("admin", []), "user.read")).toEqual({ allowed: true });
    expect(decide(principal("viewer", []), "account.self")).toEqual({ allowed: true });
    expect(decide(principal("viewer", []), "audit.read")).toEqual({ allowed: false, reason: "role" });
  });

  it("allows exactly what the role grants inside the scope", () => {
    fc.assert(
      fc.property(anyPrincipal, action, scopesAndTarget, fc.boolean(), (base, a, [scopes, t], withTarget) => {
        const p = { ...base, scopePaths: scopes };
        const target = withTarget ? t : undefined;
        const granted = roleGrants(p.role, a);
        const inScope = target === undefined || isInScope(p.scopePaths, target);
        const expected = !granted
          ? { allowed: false, reason: "role" }
          : inScope
            ? { allowed: true }
            : { allowed: false, reason: "scope" };
        expect(decide(p, a, target)).toEqual(expected);
      }),
    );
  });

  it("never allows a viewer any write, whatever the scope and target", () => {
    fc.assert(
      fc.property(
        anyPrincipal,
        fc.constantFrom(...WRITE_ACTIONS),
        fc.option(path, { nil: undefined }),
        (p, a, target) => {
          const viewer = { ...p, role: "viewer" as const, scopePaths: [...p.scopePaths, NATION] };
          expect(decide(viewer, a, target)).toEqual({ allowed: false, reason: "role" });
        },
      ),
    );
  });

  it("does not depend on how the request was authenticated", () => {
    fc.assert(
      fc.property(anyPrincipal, action, path, (p, a, target) => {
        expect(decide({ ...p, via: "token" }, a, target)).toEqual(
          decide({ ...p, via: "session" }, a, target),
        );
      }),
    );
  });

  it("is monotone: what is allowed on a unit is allowed on its descendants", () => {
    fc.assert(
      fc.property(
        anyPrincipal,
        action,
        scopesAndTarget,
        fc.array(smallId, { minLength: 1, maxLength: 3 }),
        (base, a, [scopes, target], below) => {
          const p = { ...base, scopePaths: scopes };
          fc.pre(decide(p, a, target).allowed);
          expect(decide(p, a, below.reduce(childPath, target))).toEqual({ allowed: true });
        },
      ),
    );
  });
});

describe("isOnLineOfScope (where a fund transfer may go)", () => {
  it("allows the scope's own subtree and the units above it, never another branch", () => {
    expect(isOnLineOfScope([BINH_YEN], THAI_NGUYEN)).toBe(true);
    expect(isOnLineOfScope([BINH_YEN], NATION)).toBe(true);
    expect(isOnLineOfScope([BINH_YEN], BINH_YEN)).toBe(true);
    expect(isOnLineOfScope([BINH_YEN], THON_DONG_TAM)).toBe(true);
    expect(isOnLineOfScope([BINH_YEN], HOA_AN)).toBe(false);
    expect(isOnLineOfScope([BINH_YEN], CAO_BANG)).toBe(false);
    expect(isOnLineOfScope([BINH_YEN], OTHER_COMMUNE)).toBe(false);
    expect(isOnLineOfScope([THAI_NGUYEN], "/1/23/")).toBe(false);
    expect(isOnLineOfScope([], NATION)).toBe(false);
  });

  it("is true exactly for the scope units' descendants and ancestors (id by id)", () => {
    fc.assert(
      fc.property(scopesAndTarget, ([scopes, target]) => {
        expect(isOnLineOfScope(scopes, target)).toBe(
          scopes.some((s) => isAncestorOrSelf(s, target) || isAncestorOrSelf(target, s)),
        );
      }),
    );
  });
});

describe("isStrictlyBelowScope", () => {
  it("is the level above deciding: the scope unit itself is not below itself", () => {
    expect(isStrictlyBelowScope(["/1/2/35/"], "/1/2/35/900/")).toBe(true);
    expect(isStrictlyBelowScope(["/1/2/35/"], "/1/2/35/")).toBe(false);
    expect(isStrictlyBelowScope(["/1/2/"], "/1/23/5/")).toBe(false);
  });

  it("implies being in scope, and never holds for a unit itself", () => {
    fc.assert(
      fc.property(scopePaths, path, (scopes, target) => {
        if (isStrictlyBelowScope(scopes, target)) expect(isInScope(scopes, target)).toBe(true);
        expect(isStrictlyBelowScope([target], target)).toBe(false);
      }),
    );
  });
});
