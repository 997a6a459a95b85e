import type { FastifyRequest } from "fastify";
import { type Action, decide, type Principal } from "../authz/policy.ts";
import type { AuditContext } from "../capabilities/audit/audit-writer.ts";
import { problems } from "./problem.ts";

/** The authenticated principal; routes that declare a non-public action always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw problems.unauthenticated();
  return request.principal;
}

/** Who and where a write came from, for the audit trail. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  const p = request.principal;
  return {
    userId: p?.userId ?? null,
    username: p?.username ?? null,
    requestId: request.id,
    ip: request.ip,
    userAgent: request.headers["user-agent"]?.slice(0, 300) ?? null,
  };
}

/** Throw 403 unless the principal may perform `action` on a target at `targetPath`. */
export function authorize(principal: Principal, action: Action, targetPath?: string): void {
  const decision = decide(principal, action, targetPath);
  if (decision.allowed) return;
  throw decision.reason === "scope" ? problems.outOfScope() : problems.forbidden();
}
