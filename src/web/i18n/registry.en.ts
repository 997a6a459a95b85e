import type { registryVi } from "./registry.vi.ts";

/** English text of the registry screens (merged into en.ts). */
export const registryEn: Record<keyof typeof registryVi, string> = {};
