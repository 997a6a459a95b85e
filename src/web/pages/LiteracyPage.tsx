/**
 * Literacy and universal education (xóa mù chữ, phổ cập giáo dục) of a unit for a year:
 * at a commune, the form (three age bands typed, the cumulative bands and every rate computed
 * live by the same domain function the server uses, the standards met); above a commune, the
 * summary from the live counters, one row per unit below, missing ones marked, and the Excel.
 */
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { formatInteger } from "../../domain/format.ts";
import {
  AGE_BANDS,
  type AgeBand,
  type BandFigures,
  bandRows,
  formatRate,
  REPORT_BANDS,
  STANDARD_CODES,
  STANDARDS,
  type StandardCode,
} from "../../domain/literacy/literacy.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { FieldNotes, SelectField, TextField, typedNumber } from "../components/fields.tsx";
import { ExcelLink, UnitFiguresTable } from "../components/figures.tsx";
import { errorsByPath, useRequest } from "../components/forms.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { thisYear, useYearParam, YearSelect, yearsDown } from "../components/years.tsx";
import { useLoad } from "../hooks.ts";
import { type Translate, useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type {
  LiteracyCommuneYear,
  LiteracyFiguresSummed,
  LiteracyRecord,
  LiteracySummary,
  OrgUnitDetail,
} from "../types.ts";
import "./literacy.css";

const FIRST_YEAR = 2012;
/** The units a file of communes' figures is imported into (a province's communes, or one commune). */
const IMPORT_KINDS: readonly string[] = ["province", "district", "cluster", "commune"];

/** "15-25" → "15–25 tuổi" in the user's language. */
const bandName = (t: Translate, code: string) => t("literacy.bandLabel", { band: code.replace("-", "–") });
const standardName = (t: Translate, code: StandardCode) => t(`literacy.standard.${code}`);
const standardShort = (t: Translate, code: string) =>
  STANDARD_CODES.includes(code as StandardCode) ? t(`literacy.standardShort.${code as StandardCode}`) : code;
const KEYS = ["population", "level1", "level2"] as const;
type Key = (typeof KEYS)[number];

export function LiteracyPage() {
  const t = useT();
  const id = Number(useParams().id);
  const [year, setYear] = useYearParam(FIRST_YEAR, thisYear());
  const unit = useLoad(() => api.get<OrgUnitDetail>(`/api/v1/org-units/${id}`), [id]);
  const u = unit.data;
  const { can } = useSession();
  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${id}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("literacy.title", { name: u?.name ?? "" })}</h1>
      <YearSelect
        label={t("common.year")}
        value={year}
        years={yearsDown(thisYear(), FIRST_YEAR)}
        optionLabel={(y) => t("literacy.yearOption", { year: y })}
        onChange={setYear}
      />
      <ErrorBox error={unit.error} />
      {u?.id === id && IMPORT_KINDS.includes(u.kind) && can("literacy.write") && (
        <ImportLink unitId={id} kind="literacy" />
      )}
      {!u || u.id !== id ? (
        !unit.error && <Loading />
      ) : u.kind === "commune" ? (
        <CommuneYear communeId={id} year={year} onYear={(y) => setYear(y, { push: true })} />
      ) : (
        <Summary unitId={id} year={year} />
      )}
    </div>
  );
}

// ─── A commune: the form ───────────────────────────────────────────────────────────────

function CommuneYear({
  communeId,
  year,
  onYear,
}: {
  communeId: number;
  year: number;
  onYear: (year: number) => void;
}) {
  const t = useT();
  const data = useLoad(
    () => api.get<LiteracyCommuneYear>(`/api/v1/literacy/communes/${communeId}/years/${year}`),
    [communeId, year],
  );
  const [notice, setNotice] = useState<string | null>(null);
  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data || data.data.year !== year) return <Loading />;
  const d = data.data;
  return (
    <>
      {d.years.length > 0 && (
        <p className="literacy-years">
          {t("literacy.recordedYears")}{" "}
          {d.years.map((y) => (
            <button
              key={y}
              type="button"
              className={y === year ? "literacy-year current" : "literacy-year"}
              aria-current={y === year ? "true" : undefined}
              onClick={() => onYear(y)}
            >
              {y}
            </button>
          ))}
        </p>
      )}
      <Notice>{notice}</Notice>
      {d.canWrite ? (
        <LiteracyForm
          // A new year, or a record saved elsewhere, starts the form afresh.
          key={`${year}-${d.record?.updatedAt ?? "new"}`}
          communeId={communeId}
          year={year}
          record={d.record}
          onStart={() => setNotice(null)}
          onSaved={(message) => {
            setNotice(message);
            data.reload();
          }}
        />
      ) : (
        <ReadOnly record={d.record} year={year} />
      )}
    </>
  );
}

type Cells = Record<AgeBand, Record<Key, string>>;

function initialCells(record: LiteracyRecord | null): Cells {
  return Object.fromEntries(
    AGE_BANDS.map((b) => [
      b,
      Object.fromEntries(KEYS.map((k) => [k, record ? String(record.bands[b][k]) : ""])),
    ]),
  ) as Cells;
}

function LiteracyForm({
  communeId,
  year,
  record,
  onStart,
  onSaved,
}: {
  communeId: number;
  year: number;
  record: LiteracyRecord | null;
  /** A save or delete begins: an earlier success notice no longer holds. */
  onStart: () => void;
  onSaved: (message: string) => void;
}) {
  const t = useT();
  const [cells, setCells] = useState<Cells>(() => initialCells(record));
  const [surveyDate, setSurveyDate] = useState(record?.surveyDate ?? "");
  const [newly, setNewly] = useState(
    record?.newlyLiterateContinuing === null || !record ? "" : String(record.newlyLiterateContinuing),
  );
  const [standards, setStandards] = useState<Record<string, string>>(() =>
    Object.fromEntries(STANDARDS.map((s) => [s.code, String(record?.standards[s.code] ?? 0)])),
  );
  const { error, busy, run } = useRequest();
  const errors = errorsByPath(error);

  const numbers = Object.fromEntries(
    AGE_BANDS.map((b) => [b, Object.fromEntries(KEYS.map((k) => [k, typedNumber(cells[b][k])]))]),
  ) as Record<AgeBand, Record<Key, number | null>>;

  async function submit(e: FormEvent) {
    e.preventDefault();
    onStart();
    const save = () =>
      api.put(`/api/v1/literacy/communes/${communeId}/years/${year}`, {
        surveyDate: surveyDate || null,
        bands: numbers,
        newlyLiterateContinuing: typedNumber(newly),
        standards: Object.fromEntries(STANDARDS.map((s) => [s.code, Number(standards[s.code] ?? 0)])),
      });
    if (await run(save)) onSaved(t("literacy.saved", { year }));
  }

  async function remove() {
    if (!window.confirm(t("literacy.deleteConfirm", { year }))) return;
    onStart();
    if (await run(() => api.delete(`/api/v1/literacy/communes/${communeId}/years/${year}`)))
      onSaved(t("literacy.deleted", { year }));
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-label={t("literacy.bands")}>
      <h2>{t("literacy.bands")}</h2>
      {!record && <p className="muted">{t("literacy.none", { year })}</p>}
      <p className="hint">{t("literacy.bandsHint")}</p>
      <ErrorBox error={error} />
      <BandTable
        t={t}
        numbers={numbers}
        cell={(band, key) => {
          const field = `bands.${band}.${key}`;
          const id = `literacy-${band}-${key}`;
          const message = errors[field];
          return (
            <div className={message ? "field field-invalid" : "field"}>
              <input
                id={id}
                inputMode="numeric"
                autoComplete="off"
                aria-label={t("literacy.cell", { what: t(`literacy.${key}`), band: bandName(t, band) })}
                aria-invalid={message ? true : undefined}
                aria-describedby={message ? `${id}-error` : undefined}
                value={cells[band][key]}
                onChange={(e) => {
                  const value = e.target.value;
                  setCells((c) => ({ ...c, [band]: { ...c[band], [key]: value } }));
                }}
              />
              <FieldNotes id={id} error={message} />
            </div>
          );
        }}
      />
      <TextField
        label={t("literacy.surveyDate")}
        hint={t("literacy.surveyDateHint")}
        type="date"
        value={surveyDate}
        onChange={(e) => setSurveyDate(e.target.value)}
        error={errors.surveyDate ?? errors.year}
      />
      <TextField
        label={t("literacy.newlyLiterate")}
        hint={t("literacy.newlyLiterateHint")}
        inputMode="numeric"
        value={newly}
        onChange={(e) => setNewly(e.target.value)}
        error={errors.newlyLiterateContinuing}
      />
      <fieldset className="literacy-standards">
        <legend>{t("literacy.standards")}</legend>
        {STANDARDS.map((s) => (
          <SelectField
            key={s.code}
            label={standardName(t, s.code)}
            value={standards[s.code] ?? "0"}
            onChange={(e) => {
              const value = e.target.value;
              setStandards((v) => ({ ...v, [s.code]: value }));
            }}
            error={errors[`standards.${s.code}`]}
          >
            {levelOptions(t, s.maxLevel).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </SelectField>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? t("common.saving") : t("literacy.save")}
        </button>
        {record && (
          <button type="button" onClick={remove}>
            {t("literacy.delete", { year })}
          </button>
        )}
      </div>
    </form>
  );
}

function levelOptions(t: Translate, maxLevel: number) {
  if (maxLevel === 1)
    return [
      { value: "0", label: t("literacy.notMet") },
      { value: "1", label: t("literacy.met") },
    ];
  return [
    { value: "0", label: t("literacy.notMet") },
    ...Array.from({ length: maxLevel }, (_, i) => ({
      value: String(i + 1),
      label: t("literacy.level", { n: i + 1 }),
    })),
  ];
}

/**
 * The five rows: the three entered bands (inputs, or figures) and the two cumulative ones, with
 * the rates at level 1 and 2, computed by the domain's bandRows. A cell left empty makes the
 * figures that depend on it "—", never a wrong number.
 */
function BandTable({
  t,
  numbers,
  cell,
}: {
  t: Translate;
  numbers: Record<AgeBand, Record<Key, number | null>>;
  cell?: (band: AgeBand, key: Key) => ReactNode;
}) {
  const zeroed = Object.fromEntries(
    AGE_BANDS.map((b) => [
      b,
      {
        population: numbers[b].population ?? 0,
        level1: numbers[b].level1 ?? 0,
        level2: numbers[b].level2 ?? 0,
      },
    ]),
  ) as Record<AgeBand, BandFigures>;
  const rows = bandRows(zeroed);
  const known = (parts: readonly AgeBand[], keys: readonly Key[]) =>
    parts.every((p) => keys.every((k) => numbers[p][k] !== null));
  return (
    <div className="table-scroll">
      <table className="figures-table literacy-table literacy-entry" data-testid="literacy-bands">
        <thead>
          <tr>
            <th scope="col">{t("literacy.band")}</th>
            <th scope="col">{t("literacy.population")}</th>
            <th scope="col">{t("literacy.level1")}</th>
            <th scope="col">{t("literacy.percent1")}</th>
            <th scope="col">{t("literacy.level2")}</th>
            <th scope="col">{t("literacy.percent2")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const parts = REPORT_BANDS.find((b) => b.code === r.code)?.parts ?? [];
            const entered = cell && !r.derived;
            const value = (k: Key) =>
              entered ? cell(r.code as AgeBand, k) : known(parts, [k]) ? formatInteger(r[k]) : "—";
            const rate = (k: "level1" | "level2") =>
              known(parts, ["population", k])
                ? formatRate(k === "level1" ? r.level1Percent : r.level2Percent)
                : "—";
            return (
              <tr key={r.code} data-band={r.code} className={r.derived ? "derived" : undefined}>
                <th scope="row">
                  {bandName(t, r.code)}
                  {r.derived && <span className="muted"> ({t("literacy.derived")})</span>}
                </th>
                <td data-label={t("literacy.population")} className={entered ? "" : "num"}>
                  {value("population")}
                </td>
                <td data-label={t("literacy.level1")} className={entered ? "" : "num"}>
                  {value("level1")}
                </td>
                <td data-label={t("literacy.percent1")} className="num" data-rate="level1">
                  {rate("level1")}
                </td>
                <td data-label={t("literacy.level2")} className={entered ? "" : "num"}>
                  {value("level2")}
                </td>
                <td data-label={t("literacy.percent2")} className="num" data-rate="level2">
                  {rate("level2")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ReadOnly({ record, year }: { record: LiteracyRecord | null; year: number }) {
  const t = useT();
  if (!record) return <p className="card muted">{t("literacy.none", { year })}</p>;
  return (
    <section className="card" aria-labelledby="literacy-bands-heading">
      <h2 id="literacy-bands-heading">{t("literacy.bands")}</h2>
      <p className="muted">{t("literacy.readOnly")}</p>
      <BandTable t={t} numbers={record.bands} />
      <ul>
        {STANDARDS.map((s) => {
          const level = record.standards[s.code] ?? 0;
          return (
            <li key={s.code}>
              {standardName(t, s.code)}:{" "}
              <strong>
                {level === 0
                  ? t("literacy.notMet")
                  : s.maxLevel === 1
                    ? t("literacy.met")
                    : t("literacy.level", { n: level })}
              </strong>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// ─── Above a commune: the summary ──────────────────────────────────────────────────────

function Summary({ unitId, year }: { unitId: number; year: number }) {
  const t = useT();
  const data = useLoad(
    () => api.get<LiteracySummary>(`/api/v1/literacy/summary${query({ orgUnitId: unitId, year })}`),
    [unitId, year],
  );
  if (data.error) return <ErrorBox error={data.error} />;
  const s = data.data;
  if (!s || s.year !== year || s.unit.id !== unitId) return <Loading />;
  const numbers = (f: LiteracyFiguresSummed) =>
    Object.fromEntries(
      AGE_BANDS.map((b) => {
        const r = f.rows.find((x) => x.code === b);
        return [b, { population: r?.population ?? 0, level1: r?.level1 ?? 0, level2: r?.level2 ?? 0 }];
      }),
    ) as Record<AgeBand, Record<Key, number | null>>;
  const headline = ["15-25", "15-35", "15-60"];
  const rate = (f: LiteracyFiguresSummed, band: string, k: "level1Percent" | "level2Percent") =>
    formatRate(f.rows.find((r) => r.code === band)?.[k] ?? null);
  const xmc2 = (f: LiteracyFiguresSummed) => f.standards.find((x) => x.code === "xmc")?.atLeast[1] ?? 0;
  const figureCells = (f: LiteracyFiguresSummed, communes: number) => (
    <>
      <td className="num">{`${f.reported}/${communes}`}</td>
      {headline.map((b) => (
        <td className="num" key={`l1-${b}`}>
          {rate(f, b, "level1Percent")}
        </td>
      ))}
      {headline.map((b) => (
        <td className="num" key={`l2-${b}`}>
          {rate(f, b, "level2Percent")}
        </td>
      ))}
      <td className="num">{`${xmc2(f)}/${communes}`}</td>
    </>
  );
  return (
    <>
      <section className="card" aria-labelledby="literacy-summary-heading" data-testid="literacy-summary">
        <h2 id="literacy-summary-heading">{t("literacy.bands")}</h2>
        <p className="muted">{t("literacy.summary.onlyCommunes")}</p>
        <p>
          <strong data-testid="literacy-reported">
            {t("literacy.summary.reported", { reported: s.total.reported, communes: s.communes })}
          </strong>
        </p>
        <BandTable t={t} numbers={numbers(s.total)} />
        <p>{t("literacy.summary.newlyLiterate", { n: formatInteger(s.total.newlyLiterateContinuing) })}</p>
        <h3>{t("literacy.summary.standards")}</h3>
        <ul className="literacy-standard-counts" data-testid="literacy-standards">
          {s.total.standards.flatMap((st) =>
            st.atLeast
              .map((n, i) => ({ n, level: i + 1 }))
              .map(({ n, level }) => (
                <li key={`${st.code}>=${level}`} data-standard={`${st.code}>=${level}`}>
                  {t("literacy.summary.standardLine", {
                    n,
                    communes: s.communes,
                    label:
                      st.maxLevel === 1
                        ? standardShort(t, st.code)
                        : `${standardShort(t, st.code)} ${t("literacy.summary.levelSuffix", { n: level })}`,
                  })}
                </li>
              )),
          )}
        </ul>
        <ExcelLink href={`/api/v1/literacy/summary/export.xlsx${query({ orgUnitId: unitId, year })}`}>
          {t("literacy.download")}
        </ExcelLink>
      </section>
      <section className="card" aria-labelledby="literacy-children-heading">
        <h2 id="literacy-children-heading">{t("literacy.summary.children")}</h2>
        <UnitFiguresTable
          testId="literacy-children"
          className="literacy-table"
          columns={[
            t("literacy.summary.reportedCol"),
            ...headline.map((b) => t("literacy.summary.l1", { band: b.replace("-", "–") })),
            ...headline.map((b) => t("literacy.summary.l2", { band: b.replace("-", "–") })),
            t("literacy.summary.xmc2"),
          ]}
          rows={s.children.map((c) => ({
            id: c.id,
            name: c.name,
            to: `/org-units/${c.id}/literacy?year=${year}`,
            cells: c.figures && figureCells(c.figures, c.communes),
          }))}
          total={{ label: t("common.total"), cells: figureCells(s.total, s.communes) }}
        />
      </section>
    </>
  );
}
