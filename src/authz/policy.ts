/**
 * The one place that decides who may do what. Pure: no I/O.
 *
 * A decision has two parts:
 * 1. the role grants the action (ROLE_GRANTS);
 * 2. the target lies inside the user's scope: the subtree of one of their assigned org units
 *    (org-unit paths are materialised, '/1/2/35/', so "inside" is a prefix test).
 * Every HTTP route declares its action (see server/app.ts, which refuses a route without one);
 * services call `authorize` with the target's path before reading or writing it.
 */

export const ROLES = ["admin", "officer", "data_entry", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
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
  "event.read",
  "event.write",
  "agreement.read",
  "agreement.write",
  "inspection.read",
  "inspection.write",
  "commendation.read",
  "commendation.write",
  // Association membership: read; chapters' figures and the commune's population (officers and
  // data entry, e.g. a village chapter head); creating, editing, dissolving chapters (officers).
  "association.read",
  "association.write",
  "association.manage",
  "literacy.read",
  "literacy.write",
  // Periodic reports: read; fill and submit the unit's own; approve or return those of the units
  // below (also needs a scope strictly above the unit); ask the units below for a report.
  "report.read",
  "report.write",
  "report.review",
  "report.request",
  // Importing records from Excel/CSV (/api/v1/imports): the route's gate; each kind of import
  // then needs the action of what it writes (households: registry.write…) on the unit.
  "data.import",
  // A backup of all data (GET /api/v1/system/backup): an administrator of the nation only
  // (the service also requires the root unit in scope).
  "system.backup",
] as const;
export type Action = (typeof ACTIONS)[number];

/** An action any visitor may perform without logging in (health, login, public pages). */
export const PUBLIC = "public" as const;
export type RouteAction = Action | typeof PUBLIC;

/** What every role may read inside its scope. */
const READ: readonly Action[] = [
  "framework.read",
  "registry.read",
  "evaluation.read",
  "stats.read",
  "fund.read",
  "centre.read",
  "event.read",
  "agreement.read",
  "inspection.read",
  "commendation.read",
  "association.read",
  "literacy.read",
  "report.read",
];

const ROLE_GRANTS: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(ACTIONS),
  officer: new Set<Action>([
    "org_unit.read",
    "org_unit.create",
    "org_unit.update",
    "audit.read",
    "account.self",
    ...READ,
    "registry.write",
    "evaluation.write",
    "evaluation.review",
    "evaluation.decide",
    "target.manage",
    // The Association's officer keeps the fund: posts, closes years, publishes statements.
    // Reopening a closed year is an administrator's explicit act (fund.reopen), audited.
    "fund.write",
    "fund.manage",
    // Community learning centres: record activities, board, plan, funding; rate the centres of
    // the communes below (the rating also needs a scope strictly above the centre's commune).
    "centre.write",
    "centre.rate",
    // Events and coordination agreements: record events, link fund scholarships, sign agreements.
    "event.write",
    "agreement.write",
    // Inspections, commendations and exemplary models: the Association's officer plans
    // inspections of the units below, records their results, proposes commendations and
    // records exemplary models.
    "inspection.write",
    "commendation.write",
    // Association membership: figures, population, and the chapters themselves.
    "association.write",
    "association.manage",
    // Literacy and universal education: a commune's yearly figures and the standards it meets.
    "literacy.write",
    // Periodic reports: the unit's own, the decisions on those below, the requests for them.
    "report.write",
    "report.review",
    "report.request",
    "data.import",
  ]),
  /** A village head or clerk: keeps the registry, enters self-assessments, fund entries and centre activities. */
  data_entry: new Set<Action>([
    "org_unit.read",
    "account.self",
    ...READ,
    "registry.write",
    "evaluation.write",
    "fund.write",
    "centre.write",
    // Events and coordination agreements: a clerk records events; agreements are the officer's.
    "event.write",
    // Association membership: a chapter head updates his chapter's figures.
    "association.write",
    // Periodic reports: a clerk fills and submits the unit's report.
    "report.write",
    // Importing the lists a clerk keeps (households…) from Excel.
    "data.import",
  ]),
  viewer: new Set<Action>(["org_unit.read", "account.self", ...READ]),
};

export interface Principal {
  userId: number;
  username: string;
  role: Role;
  /** Materialised paths of the org units the user is assigned to. */
  scopePaths: readonly string[];
  /** How the request was authenticated: cookie writes need a CSRF token, bearer tokens do not. */
  via: "session" | "token";
}

export function roleGrants(role: Role, action: Action): boolean {
  return ROLE_GRANTS[role].has(action);
}

/** Is `targetPath` the path of a unit inside (or equal to) one of the scope units? */
export function isInScope(scopePaths: readonly string[], targetPath: string): boolean {
  return scopePaths.some((scope) => targetPath.startsWith(scope));
}

/**
 * Is `targetPath` strictly below one of the scope units? Reviews and decisions are made by the
 * level above: a commune officer recognises its villages' families, not its own commune.
 */
export function isStrictlyBelowScope(scopePaths: readonly string[], targetPath: string): boolean {
  return scopePaths.some((scope) => targetPath.startsWith(scope) && targetPath !== scope);
}

/**
 * Is `targetPath` inside the scope or one of the scope units' ancestors? Money moves up the
 * Association's line (a commune remits to its province): a transfer may go to a fund of the
 * user's own units and below, or of the bodies above them, never sideways to another branch.
 */
export function isOnLineOfScope(scopePaths: readonly string[], targetPath: string): boolean {
  return isInScope(scopePaths, targetPath) || scopePaths.some((scope) => scope.startsWith(targetPath));
}

/** Does every one of `paths` lie inside the principal's scope? (Used when delegating scopes.) */
export function coversAll(scopePaths: readonly string[], paths: readonly string[]): boolean {
  return paths.every((p) => isInScope(scopePaths, p));
}

export type Decision = { allowed: true } | { allowed: false; reason: "role" | "scope" };

/** Decide whether `principal` may perform `action`, on a target at `targetPath` if there is one. */
export function decide(principal: Principal, action: Action, targetPath?: string): Decision {
  if (!roleGrants(principal.role, action)) return { allowed: false, reason: "role" };
  if (targetPath !== undefined && !isInScope(principal.scopePaths, targetPath)) {
    return { allowed: false, reason: "scope" };
  }
  return { allowed: true };
}

/** Navigation the web app shows for a role: derived from the same grants. */
export function grantedActions(role: Role): Action[] {
  return ACTIONS.filter((a) => roleGrants(role, a));
}
