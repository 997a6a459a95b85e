/** Vietnamese text of the registry screens (merged into vi.ts). */
export const registryVi = {} as const;
