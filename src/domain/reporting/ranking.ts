/**
 * Ranking the units on one figure (xếp hạng). Pure: no I/O. Equal values share a rank and the
 * next rank skips ("competition ranking": 1, 2, 2, 4); a unit without the figure is listed apart,
 * never ranked as if it had 0.
 */
import { compareVietnamese } from "../text.ts";

export interface RankRow {
  id: number;
  name: string;
  value: number | null;
}

export interface RankedUnit {
  id: number;
  name: string;
  value: number;
  rank: number;
}

export interface Ranking {
  ranked: RankedUnit[];
  /** the units without the figure, by name */
  withoutData: { id: number; name: string }[];
}

const byName = (a: { id: number; name: string }, b: { id: number; name: string }) =>
  compareVietnamese(a.name, b.name) || a.id - b.id;

/** The units with a value, best first ("desc": the largest; "asc": the smallest), ties by name. */
export function rankUnits(rows: readonly RankRow[], order: "desc" | "asc"): Ranking {
  const sign = order === "desc" ? -1 : 1;
  const withValue = rows
    .filter((r): r is RankRow & { value: number } => typeof r.value === "number" && Number.isFinite(r.value))
    .sort((a, b) => sign * (a.value - b.value) || byName(a, b));
  const ranked: RankedUnit[] = [];
  withValue.forEach((r, i) => {
    const prev = ranked[i - 1];
    const rank = prev && prev.value === r.value ? prev.rank : i + 1;
    ranked.push({ id: r.id, name: r.name, value: r.value, rank });
  });
  const withoutData = rows
    .filter((r) => typeof r.value !== "number" || !Number.isFinite(r.value))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort(byName);
  return { ranked, withoutData };
}
