/**
 * Writing a framework draft, and the pure helpers the editor needs around it: an immutable
 * "set this field" for a nested definition, the live consistency problems, and the local copy
 * of unsaved work.
 */
import {
  FrameworkDefinition,
  type FrameworkDefinition as FrameworkDefinitionType,
  frameworkProblems,
} from "../../domain/learning-models/framework.ts";
import { vietnameseErrorMap } from "../../domain/validation-messages.ts";
import { ApiError, api } from "../api.ts";
import type { FrameworkDetail } from "../types.ts";
import { type Path, pathKey } from "./framework-text.tsx";

/**
 * PUT /api/v1/frameworks/:id/definition. A failure (problem+json or a dropped connection) is an
 * ApiError; the caller keeps what the user typed.
 */
export function saveDefinition(id: number, definition: FrameworkDefinitionType): Promise<FrameworkDetail> {
  return api.put<FrameworkDetail>(`/api/v1/frameworks/${id}/definition`, { definition });
}

/** The API's field errors keyed like the editor's fields ("groups.0.maxPoints"). */
export function editorFieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof ApiError)) return result;
  for (const e of error.problem.errors ?? []) {
    const key = e.field.replace(/^definition\.?/, "");
    result[key] ??= e.message;
  }
  return result;
}

/** A copy of `root` with the value at `path` replaced (undefined removes an object key). */
export function setIn<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(head)] = setIn(copy[Number(head)], rest, value);
    return copy as T;
  }
  const object = { ...(root as Record<string, unknown>) };
  const key = String(head);
  const next = setIn(object[key], rest, value);
  if (next === undefined) delete object[key];
  else object[key] = next;
  return object as T;
}

export interface DefinitionProblem {
  path: Path;
  message: string;
}

/**
 * Everything the server would refuse, computed in the browser: the schema (types, lengths,
 * codes) and the consistency rules. The schema skips the consistency rules while a field is
 * malformed, so they are also run directly on what is there.
 */
export function definitionProblems(definition: FrameworkDefinitionType): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const seen = new Set<string>();
  const add = (path: Path, message: string) => {
    const key = `${pathKey(path)}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ path, message });
  };
  const parsed = FrameworkDefinition.safeParse(definition, { error: vietnameseErrorMap });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(issue.path as Path, issue.message);
  }
  try {
    for (const p of frameworkProblems(definition)) {
      // An empty number box (NaN, or null in a restored copy) is reported by the schema already.
      if (!/NaN|\bnull\b/.test(p.message)) add(p.path, p.message);
    }
  } catch {
    // The schema problems above already say what is malformed.
  }
  return problems;
}

/** Drop the empty lines a user leaves in lists before sending. */
export function cleanDefinition(definition: FrameworkDefinitionType): FrameworkDefinitionType {
  return {
    ...definition,
    legalBasis: {
      ...definition.legalBasis,
      sources: definition.legalBasis.sources.filter((s) => s.trim() !== ""),
      unknowns: definition.legalBasis.unknowns.filter((s) => s.trim() !== ""),
    },
  };
}

/** Unsaved edits of a draft, kept in this browser until saved or discarded. */
export interface StoredDraft {
  definition: FrameworkDefinitionType;
  at: string;
}

export function draftStorageKey(id: number): string {
  return `xhht.framework-draft.${id}`;
}

export function readStoredDraft(id: number): StoredDraft | null {
  try {
    const raw = localStorage.getItem(draftStorageKey(id));
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredDraft;
    const d = stored?.definition;
    const usable =
      typeof stored?.at === "string" &&
      d !== null &&
      typeof d === "object" &&
      Array.isArray(d.groups) &&
      d.groups.every(
        (g) =>
          g &&
          Array.isArray(g.criteria) &&
          g.criteria.every(
            (c) =>
              c?.input &&
              (c.input.kind === "points" || c.input.kind === "yes_no" || Array.isArray(c.input.steps)),
          ),
      ) &&
      Array.isArray(d.ratings) &&
      d.legalBasis !== null &&
      typeof d.legalBasis === "object" &&
      Array.isArray(d.legalBasis.sources) &&
      Array.isArray(d.legalBasis.unknowns);
    return usable ? stored : null;
  } catch {
    return null;
  }
}

export function writeStoredDraft(id: number, definition: FrameworkDefinitionType): void {
  try {
    localStorage.setItem(
      draftStorageKey(id),
      JSON.stringify({ definition, at: new Date().toISOString() } satisfies StoredDraft),
    );
  } catch {
    // A full or disabled storage must not break editing; the edits stay in memory.
  }
}

export function removeStoredDraft(id: number): void {
  try {
    localStorage.removeItem(draftStorageKey(id));
  } catch {
    // nothing to do
  }
}

/** Same content? (NaN, an empty number being typed, compares as null.) */
export function sameDefinition(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
