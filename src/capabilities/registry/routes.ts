import type { App } from "../../server/types.ts";

export async function registryRoutes(_app: App) {}
