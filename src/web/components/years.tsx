/** The year of a yearly screen: kept in the address (?year=2025) and picked from a list. */
import { todayInVietnam } from "../../domain/dates.ts";
import { useFilterParams } from "../hooks.ts";
import { SelectField } from "./fields.tsx";

export const thisYear = (): number => Number(todayInVietnam().slice(0, 4));

/** From `last` down to `first`, newest first. */
export function yearsDown(last: number, first: number): number[] {
  const years: number[] = [];
  for (let y = last; y >= first; y--) years.push(y);
  return years;
}

/**
 * The year asked for in the address when it is a whole year from `first` to `last`, otherwise
 * this year; and the setter, which replaces the history entry unless told otherwise.
 */
export function useYearParam(
  first: number,
  last: number = thisYear() + 1,
): [number, (year: number, options?: { push?: boolean }) => void] {
  const [params, setParams] = useFilterParams();
  const asked = Number(params.get("year"));
  const year = Number.isInteger(asked) && asked >= first && asked <= last ? asked : thisYear();
  return [year, (y, options) => setParams({ year: String(y) }, options)];
}

export function YearSelect({
  label,
  value,
  years,
  optionLabel = String,
  onChange,
}: {
  label: string;
  value: number;
  years: number[];
  optionLabel?: (year: number) => string;
  onChange: (year: number) => void;
}) {
  return (
    <SelectField label={label} value={String(value)} onChange={(e) => onChange(Number(e.target.value))}>
      {years.map((y) => (
        <option key={y} value={y}>
          {optionLabel(y)}
        </option>
      ))}
    </SelectField>
  );
}
