import type { App } from "../../server/types.ts";

export async function evaluationRoutes(_app: App) {}
