/** Vietnamese text of the evaluations screens (merged into vi.ts). */
export const evaluationsVi = {} as const;
