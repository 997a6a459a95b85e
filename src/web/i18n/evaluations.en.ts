import type { evaluationsVi } from "./evaluations.vi.ts";

/** English text of the evaluations screens (merged into en.ts). */
export const evaluationsEn: Record<keyof typeof evaluationsVi, string> = {};
