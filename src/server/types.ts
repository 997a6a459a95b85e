import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteAction } from "../authz/policy.ts";

/** The Fastify instance type every capability's routes are registered on. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** One registered API route and the policy action it declared. */
export interface RouteEntry {
  method: string;
  url: string;
  action: RouteAction;
}

declare module "fastify" {
  interface FastifyInstance {
    database: import("../db/connection.ts").Database;
    /** Every /api/v1 route with its declared action, for the policy tests and the docs. */
    routeTable: readonly RouteEntry[];
  }
  interface FastifyContextConfig {
    /** The policy action this route performs; required on every /api route. */
    action?: RouteAction;
  }
  interface FastifyRequest {
    principal: import("../authz/policy.ts").Principal | null;
    /** CSRF token of the cookie session, when the request came with one. */
    sessionCsrf: string | null;
    sessionIdHash: string | null;
  }
}
