/**
 * The learning-model figures of one org unit for one year, drawn rather than listed: per model
 * the headline numbers against the target, each unit below on a bar chart with the target as a
 * line, the ratings, the units furthest below target, the years so far, and the same figures as
 * a table for those who prefer (or need) to read them. Officers with target.manage set the
 * unit's target here. Loaded lazily (main.tsx) so ECharts stays out of the main bundle.
 */
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDecimal, formatInteger } from "../../domain/format.ts";
import { ApiError, api, query } from "../api.ts";
import { CHART_COLORS, Chart, type ChartOption } from "../components/Chart.tsx";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { describedBy, FieldNotes, SelectField } from "../components/fields.tsx";
import { useFilterParams, useLoad } from "../hooks.ts";
import { dashboardVi } from "../i18n/dashboard.vi.ts";
import { type MessageKey, type Translate, useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { ModelStats, StatsFigures, StatsResponse, TrendResponse } from "../types.ts";

type Child = ModelStats["children"][number];
type ModelCode = ModelStats["model"];

const YEARS_SHOWN = 10;
const LOWEST_SHOWN = 5;

// ---------------------------------------------------------------------------------------------
// Formatting: Vietnamese numbers, percents without needless zeros ("66,67%", "70%").

/** 66.666 → "66,67"; 70 → "70"; 72.5 → "72,5". */
function decimal(value: number): string {
  const s = formatDecimal(value, 2);
  return s.includes(",") ? s.replace(/0+$/, "").replace(/,$/, "") : s;
}

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${decimal(value)}%`;
}

/** n of total as a percent: (2, 3) → "66,67%"; nothing of nothing → "—". */
function share(n: number, total: number): string {
  return total > 0 ? percent(Math.round((n / total) * 10000) / 100) : "—";
}

function currentYear(): number {
  return Number(todayInVietnam().slice(0, 4));
}

/** "70", "72,5", "72.5", "70%" → a number; anything else → null. */
function parseTarget(text: string): number | null {
  const cleaned = text.trim().replace(/\s*%$/, "").replace(",", ".");
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isKey(key: string): key is MessageKey {
  return key in dashboardVi;
}

function ratingLabel(t: Translate, code: string): string {
  const key = `dashboard.rating.${code}`;
  return isKey(key) ? t(key) : code;
}

function subjectLabel(t: Translate, kind: string): string {
  const key = `dashboard.subject.${kind}`;
  return isKey(key) ? t(key) : t("dashboard.subjects");
}

function hasFigures(f: StatsFigures): boolean {
  return f.subjects > 0 || f.registered > 0 || f.selfAssessed > 0 || f.recognised > 0;
}

/** The target a child is measured against: its own, or else the unit's. */
function targetOf(child: Child, unitTarget: number | null): number | null {
  return child.figures.targetPercent ?? unitTarget;
}

// ---------------------------------------------------------------------------------------------
// PUT /api/v1/stats/targets. api.ts has no PUT helper yet, so this one mirrors its contract:
// the session's CSRF token on the write, problem+json turned into an ApiError whose field errors
// the form shows beside its input, and a dropped connection an ApiError too (status 0).

// ---------------------------------------------------------------------------------------------
// The page

export function DashboardPage() {
  const t = useT();
  const { can } = useSession();
  const id = Number(useParams().id);
  const [params, setParams] = useFilterParams();
  const thisYear = currentYear();
  const asked = Number(params.get("year"));
  const year = Number.isInteger(asked) && asked >= 2016 && asked <= thisYear + 1 ? asked : thisYear;
  const includePredecessors = params.get("includePredecessors") === "true";
  const filters = { orgUnitId: id, year, includePredecessors: includePredecessors ? "true" : undefined };
  const stats = useLoad(
    () => api.get<StatsResponse>(`/api/v1/stats/learning-models${query(filters)}`),
    [id, year, includePredecessors],
  );

  const years = useMemo(() => {
    const list = Array.from({ length: YEARS_SHOWN }, (_, i) => thisYear - i);
    if (!list.includes(year)) list.push(year);
    return list.sort((a, b) => b - a);
  }, [thisYear, year]);

  function setParam(name: string, value: string | null) {
    setParams({ [name]: value });
  }

  const data = stats.data && stats.data.unit.id === id ? stats.data : undefined;
  if (stats.error && !data) {
    const problem = stats.error instanceof ApiError ? stats.error.problem : null;
    return (
      <div className="page">
        <h1>{problem?.title ?? t("error.title")}</h1>
        <ErrorBox error={stats.error} />
        <p>
          <Link to="/org-units">{t("orgUnits.yourUnits")}</Link>
        </p>
      </div>
    );
  }
  if (!data) return <Loading />;

  const exportUrl = `/api/v1/stats/learning-models/export.xlsx${query(filters)}`;
  return (
    <div className="page page-wide dashboard">
      <p>
        <Link to={`/org-units/${data.unit.id}`}>{t("dashboard.backToUnit", { name: data.unit.name })}</Link>
      </p>
      <h1>{t("dashboard.title", { name: data.unit.name })}</h1>
      <p className="muted">{t("dashboard.live")}</p>
      <div className="dash-controls">
        <SelectField
          label={t("dashboard.year")}
          value={String(year)}
          onChange={(e) => setParam("year", e.target.value)}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <label className="check">
          <input
            type="checkbox"
            checked={includePredecessors}
            onChange={(e) => setParam("includePredecessors", e.target.checked ? "true" : null)}
          />
          {t("dashboard.includePredecessors")}
        </label>
        <a className="dash-download" href={exportUrl} download>
          {t("dashboard.download")}
        </a>
        {data.unit.level <= 2 && (
          <Link className="dash-download dash-dhis2" to={`/org-units/${data.unit.id}/dhis2?period=${year}`}>
            {t("dhis2.link")}
          </Link>
        )}
      </div>
      {includePredecessors && !stats.loading && <Predecessors stats={data} />}
      <p className="dash-status muted" role="status">
        {stats.loading ? t("dashboard.updating") : ""}
      </p>
      <ErrorBox error={stats.error} />
      <div className={stats.loading ? "dash-models dash-stale" : "dash-models"} aria-busy={stats.loading}>
        {data.models.map((m) => (
          <ModelCard
            key={m.model}
            stats={m}
            unitId={data.unit.id}
            unitName={data.unit.name}
            year={data.year}
            canManageTarget={can("target.manage")}
            onTargetSaved={stats.reload}
          />
        ))}
      </div>
    </div>
  );
}

function Predecessors({ stats }: { stats: StatsResponse }) {
  const t = useT();
  if (stats.predecessors.length === 0) return <p className="muted">{t("dashboard.noPredecessors")}</p>;
  const names = stats.predecessors
    .map((p) => `${p.name} (${p.share === "full" ? t("dashboard.shareFull") : t("dashboard.sharePartial")})`)
    .join(", ");
  return <p className="dash-predecessors">{t("dashboard.predecessorsIncluded", { names })}</p>;
}

// ---------------------------------------------------------------------------------------------
// One model

function ModelCard({
  stats,
  unitId,
  unitName,
  year,
  canManageTarget,
  onTargetSaved,
}: {
  stats: ModelStats;
  unitId: number;
  unitName: string;
  year: number;
  canManageTarget: boolean;
  onTargetSaved: () => void;
}) {
  const t = useT();
  const headingId = useId();
  const label = t(`dashboard.model.${stats.model}`);
  const f = stats.figures;
  const childrenWithData = stats.children.filter((c) => hasFigures(c.figures));

  if (!hasFigures(f) && childrenWithData.length === 0) {
    return (
      <section className="card dash-model dash-empty" aria-labelledby={headingId}>
        <h2 id={headingId}>{label}</h2>
        <p className="muted">{t("dashboard.noData")}</p>
      </section>
    );
  }

  const targetForm = canManageTarget && (
    <TargetForm
      key={`${unitId}|${year}|${stats.model}`}
      unitId={unitId}
      year={year}
      model={stats.model}
      current={f.targetPercent}
      onSaved={onTargetSaved}
    />
  );

  // Subjects exist but nobody registered this year: say so, and let the target be set.
  const registeredAnywhere = f.registered > 0 || childrenWithData.some((c) => c.figures.registered > 0);
  if (!registeredAnywhere) {
    return (
      <section className="card dash-model dash-idle" aria-labelledby={headingId}>
        <h2 id={headingId}>{label}</h2>
        <p className="muted">
          {t("dashboard.noRegistrations", {
            year,
            count: formatInteger(f.subjects),
            subjects: subjectLabel(t, stats.subjectKind).toLocaleLowerCase("vi"),
          })}
          {f.targetPercent !== null && ` · ${t("dashboard.target")} ${percent(f.targetPercent)}`}
        </p>
        {targetForm}
      </section>
    );
  }

  return (
    <section className="card dash-model" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      <Headline figures={f} subjectKind={stats.subjectKind} />
      {targetForm}
      <div className="dash-grid">
        {stats.children.length > 0 && (
          <div className="dash-panel dash-panel-wide">
            <h3>{t("dashboard.childrenChart")}</h3>
            <ChildrenChart stats={stats} label={label} year={year} />
          </div>
        )}
        <div className="dash-panel">
          <h3>{t("dashboard.ratings")}</h3>
          <RatingsChart ratings={f.ratings} label={label} year={year} />
        </div>
        {stats.children.length > 0 && (
          <div className="dash-panel">
            <h3>{t("dashboard.lowest")}</h3>
            <Lowest stats={stats} year={year} />
          </div>
        )}
        <div className="dash-panel dash-panel-wide">
          <h3>{t("dashboard.trend")}</h3>
          <Trend unitId={unitId} model={stats.model} label={label} version={f.targetPercent} />
        </div>
      </div>
      <DataTable stats={stats} rows={childrenWithData} unitName={unitName} label={label} year={year} />
    </section>
  );
}

/** The big numbers and the recognition rate against the target. */
function Headline({ figures: f, subjectKind }: { figures: StatsFigures; subjectKind: string }) {
  const t = useT();
  const rate = f.recognitionRate;
  const target = f.targetPercent;
  const met = rate !== null && target !== null && rate >= target;
  return (
    <>
      <dl className="dash-stats">
        <div className="dash-stat">
          <dt>{subjectLabel(t, subjectKind)}</dt>
          <dd>{formatInteger(f.subjects)}</dd>
        </div>
        <div className="dash-stat">
          <dt>{t("dashboard.registered")}</dt>
          <dd>
            {formatInteger(f.registered)}{" "}
            <span className="dash-stat-note">{percent(f.registrationRate)}</span>
          </dd>
        </div>
        <div className="dash-stat">
          <dt>{t("dashboard.selfAssessed")}</dt>
          <dd>{formatInteger(f.selfAssessed)}</dd>
        </div>
        <div className="dash-stat">
          <dt>{t("dashboard.recognised")}</dt>
          <dd>{formatInteger(f.recognised)}</dd>
        </div>
      </dl>
      <div className="dash-rate">
        <p>
          <strong>
            {target === null
              ? t("dashboard.rateNoTarget", { rate: percent(rate) })
              : t("dashboard.rateVsTarget", { rate: percent(rate), target: percent(target) })}
          </strong>{" "}
          {rate !== null && target !== null && (
            <span className={met ? "badge badge-ok" : "badge dash-badge-short"}>
              {met ? t("dashboard.targetMet") : t("dashboard.targetGap", { gap: decimal(target - rate) })}
            </span>
          )}
        </p>
        <div className="dash-meter" aria-hidden="true">
          <div
            className={met || target === null ? "dash-meter-fill" : "dash-meter-fill dash-meter-short"}
            style={{ width: `${Math.min(100, Math.max(0, rate ?? 0))}%` }}
          />
          {target !== null && (
            <div className="dash-meter-target" style={{ left: `${Math.min(100, target)}%` }} />
          )}
        </div>
      </div>
    </>
  );
}

/** Each unit below: its recognition rate as a bar, best first, the unit's target as a line. */
function ChildrenChart({ stats, label, year }: { stats: ModelStats; label: string; year: number }) {
  const t = useT();
  const target = stats.figures.targetPercent;
  const rows = useMemo(
    () =>
      stats.children
        .filter((c) => c.figures.recognitionRate !== null)
        .map((c) => ({ child: c, rate: c.figures.recognitionRate ?? 0, target: targetOf(c, target) }))
        .sort((a, b) => b.rate - a.rate),
    [stats.children, target],
  );
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 4, right: 56, top: target === null ? 8 : 28, bottom: 4 },
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: (params) => {
          const p = Array.isArray(params) ? params[0] : params;
          const row = rows[p?.dataIndex ?? -1];
          if (!row) return "";
          const f = row.child.figures;
          return [
            `<strong>${escapeHtml(row.child.name)}</strong>`,
            `${escapeHtml(t("dashboard.recognitionRate"))}: ${percent(row.rate)} (${formatInteger(f.recognised)}/${formatInteger(f.subjects)})`,
            row.target === null ? "" : `${escapeHtml(t("dashboard.target"))}: ${percent(row.target)}`,
          ]
            .filter(Boolean)
            .join("<br>");
        },
      },
      xAxis: {
        type: "value",
        min: 0,
        max: 100,
        interval: 25,
        axisLabel: { formatter: (value: number) => `${value}%`, color: CHART_COLORS.muted },
        splitLine: { lineStyle: { color: CHART_COLORS.line } },
      },
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map((r) => r.child.name),
        axisTick: { show: false },
        axisLabel: { width: 120, overflow: "truncate", color: CHART_COLORS.muted },
      },
      series: [
        {
          type: "bar",
          name: t("dashboard.recognitionRate"),
          barMaxWidth: 22,
          data: rows.map((r) => ({
            value: r.rate,
            itemStyle: {
              color:
                r.target === null
                  ? CHART_COLORS.blue
                  : r.rate >= r.target
                    ? CHART_COLORS.green
                    : CHART_COLORS.amber,
            },
          })),
          label: {
            show: true,
            position: "right",
            formatter: (p) => percent(Number(p.value)),
            color: CHART_COLORS.muted,
          },
          ...(target === null
            ? {}
            : {
                markLine: {
                  silent: true,
                  symbol: "none",
                  lineStyle: { color: CHART_COLORS.red, type: "dashed", width: 2 },
                  label: {
                    // The category axis runs top to bottom (inverse), so "start" is at the top.
                    position: "start",
                    formatter: t("dashboard.targetLine", { target: percent(target) }),
                    color: CHART_COLORS.red,
                  },
                  data: [{ xAxis: target }],
                },
              }),
        },
      ],
    }),
    [rows, target, t],
  );

  if (rows.length === 0) return <p className="muted">{t("dashboard.noChildrenData")}</p>;
  const best = rows[0];
  const worst = rows[rows.length - 1];
  const summary =
    t("dashboard.childrenChartLabel", {
      model: label,
      year,
      count: rows.length,
      best: best ? `${best.child.name} ${percent(best.rate)}` : "—",
      worst: worst ? `${worst.child.name} ${percent(worst.rate)}` : "—",
    }) + (target === null ? "" : t("dashboard.childrenChartTarget", { target: percent(target) }));
  return (
    <div className="dash-chart-scroll">
      <Chart
        option={option}
        label={summary}
        height={rows.length * 32 + (target === null ? 40 : 60)}
        testId={`children-chart-${stats.model}`}
      />
    </div>
  );
}

/** Ratings of the recognised subjects as a ring. */
function RatingsChart({
  ratings,
  label,
  year,
}: {
  ratings: Record<string, number>;
  label: string;
  year: number;
}) {
  const t = useT();
  const entries = useMemo(
    () =>
      Object.entries(ratings)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]),
    [ratings],
  );
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: (params) => {
          const p = Array.isArray(params) ? params[0] : params;
          const value = Number(p?.value ?? 0);
          return `${escapeHtml(String(p?.name ?? ""))}: ${formatInteger(value)} (${share(value, total)})`;
        },
      },
      series: [
        {
          type: "pie",
          radius: ["38%", "64%"],
          center: ["50%", "50%"],
          avoidLabelOverlap: true,
          label: {
            formatter: (p) => `${p.name}: ${formatInteger(Number(p.value))}`,
            color: CHART_COLORS.muted,
          },
          data: entries.map(([code, n]) => ({ name: ratingLabel(t, code), value: n })),
        },
      ],
    }),
    [entries, total, t],
  );
  if (entries.length === 0) return <p className="muted">{t("dashboard.noRatings")}</p>;
  const parts = entries
    .map(([code, n]) => `${ratingLabel(t, code)} ${formatInteger(n)} (${share(n, total)})`)
    .join(", ");
  return (
    <Chart
      option={option}
      label={t("dashboard.ratingsChartLabel", { model: label, year, parts })}
      height={220}
    />
  );
}

/** The units furthest below their target (or the unit's when they have none). */
function Lowest({ stats, year }: { stats: ModelStats; year: number }) {
  const t = useT();
  const unitTarget = stats.figures.targetPercent;
  const measured = stats.children
    .filter((c) => c.figures.recognitionRate !== null)
    .map((c) => ({ child: c, rate: c.figures.recognitionRate ?? 0, target: targetOf(c, unitTarget) }));
  const withTarget = measured.filter((m): m is typeof m & { target: number } => m.target !== null);
  if (withTarget.length === 0) return <p className="muted">{t("dashboard.lowestNoTarget")}</p>;
  const below = withTarget
    .map((m) => ({ ...m, gap: m.target - m.rate }))
    .filter((m) => m.gap > 0)
    .sort((a, b) => b.gap - a.gap || a.rate - b.rate)
    .slice(0, LOWEST_SHOWN);
  if (below.length === 0) return <p className="muted">{t("dashboard.lowestNone")}</p>;
  return (
    <ol className="dash-low">
      {below.map((m) => (
        <li key={m.child.id}>
          <Link to={`/org-units/${m.child.id}/dashboard?year=${year}`}>{m.child.name}</Link>
          <span className="muted">
            {t("dashboard.lowestItem", {
              rate: percent(m.rate),
              target: percent(m.target),
              gap: decimal(m.gap),
            })}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Registered and recognised by year; fetched once the panel scrolls near the screen. */
function Trend({
  unitId,
  model,
  label,
  version,
}: {
  unitId: number;
  model: ModelCode;
  label: string;
  version: number | null;
}) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (visible) return;
    const element = box.current;
    if (!element || typeof IntersectionObserver === "undefined") {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setVisible(true);
          observer.disconnect();
        }
      },
      { rootMargin: "200px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible]);

  const trend = useLoad(
    () =>
      visible
        ? api.get<TrendResponse>(`/api/v1/stats/learning-models/trend${query({ orgUnitId: unitId, model })}`)
        : Promise.resolve(undefined),
    [visible, unitId, model, version],
  );
  const points = trend.data;
  const hasTarget = points?.some((p) => p.targetPercent !== null) ?? false;
  const option = useMemo<ChartOption>(() => {
    const years = (points ?? []).map((p) => String(p.year));
    return {
      grid: { left: 4, right: hasTarget ? 8 : 12, top: hasTarget ? 60 : 40, bottom: 4 },
      legend: { top: 0, left: 0, itemWidth: 16, textStyle: { color: CHART_COLORS.muted } },
      tooltip: {
        trigger: "axis",
        confine: true,
        valueFormatter: (value) => (typeof value === "number" ? decimal(value) : String(value ?? "—")),
      },
      xAxis: { type: "category", data: years, axisLabel: { color: CHART_COLORS.muted } },
      yAxis: [
        {
          type: "value",
          minInterval: 1,
          axisLabel: { formatter: (value: number) => formatInteger(value), color: CHART_COLORS.muted },
          splitLine: { lineStyle: { color: CHART_COLORS.line } },
        },
        ...(hasTarget
          ? [
              {
                type: "value" as const,
                min: 0,
                max: 100,
                splitLine: { show: false },
                axisLabel: { formatter: (value: number) => `${value}%`, color: CHART_COLORS.muted },
              },
            ]
          : []),
      ],
      series: [
        {
          type: "line",
          name: t("dashboard.registered"),
          data: (points ?? []).map((p) => p.registered),
          symbolSize: 8,
          color: CHART_COLORS.blue,
        },
        {
          type: "line",
          name: t("dashboard.recognised"),
          data: (points ?? []).map((p) => p.recognised),
          symbolSize: 8,
          color: CHART_COLORS.green,
        },
        ...(hasTarget
          ? [
              {
                type: "line" as const,
                name: t("dashboard.trendTarget"),
                yAxisIndex: 1,
                data: (points ?? []).map((p) => p.targetPercent),
                connectNulls: true,
                symbolSize: 6,
                color: CHART_COLORS.red,
                lineStyle: { type: "dashed" as const },
              },
            ]
          : []),
      ],
    };
  }, [points, hasTarget, t]);

  let content: ReactNode;
  if (trend.error) content = <ErrorBox error={trend.error} />;
  else if (!points) content = <Loading />;
  else if (points.length === 0) content = <p className="muted">{t("dashboard.trendEmpty")}</p>;
  else {
    const parts = points
      .map((p) =>
        t("dashboard.trendPart", {
          year: p.year,
          registered: formatInteger(p.registered),
          recognised: formatInteger(p.recognised),
        }),
      )
      .join("; ");
    content = (
      <Chart
        option={option}
        label={t("dashboard.trendChartLabel", { model: label, parts })}
        height={240}
        testId={`trend-chart-${model}`}
      />
    );
  }
  return (
    <div ref={box} className="dash-trend">
      {content}
    </div>
  );
}

/** The same figures to read: every unit below with data, and the unit's own total. */
function DataTable({
  stats,
  rows,
  unitName,
  label,
  year,
}: {
  stats: ModelStats;
  rows: Child[];
  unitName: string;
  label: string;
  year: number;
}) {
  const t = useT();
  const codes = useMemo(() => {
    const all = new Set(Object.keys(stats.figures.ratings));
    for (const c of rows) for (const code of Object.keys(c.figures.ratings)) all.add(code);
    return [...all].sort();
  }, [stats.figures.ratings, rows]);
  const cells = (f: StatsFigures) => (
    <>
      <td className="num">{formatInteger(f.subjects)}</td>
      <td className="num">{formatInteger(f.registered)}</td>
      <td className="num">{formatInteger(f.selfAssessed)}</td>
      <td className="num">{formatInteger(f.recognised)}</td>
      <td className="num">{percent(f.registrationRate)}</td>
      <td className="num">{percent(f.recognitionRate)}</td>
      <td className="num">{percent(f.targetPercent)}</td>
      {codes.map((code) => (
        <td key={code} className="num">
          {formatInteger(f.ratings[code] ?? 0)}
        </td>
      ))}
    </>
  );
  return (
    <details className="dash-details">
      <summary>{t("dashboard.table")}</summary>
      <div className="table-scroll">
        <table className="dash-table">
          <caption>{t("dashboard.tableCaption", { model: label, year })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.unitColumn")}</th>
              <th scope="col">{subjectLabel(t, stats.subjectKind)}</th>
              <th scope="col">{t("dashboard.registered")}</th>
              <th scope="col">{t("dashboard.selfAssessed")}</th>
              <th scope="col">{t("dashboard.recognised")}</th>
              <th scope="col">{t("dashboard.registrationRate")}</th>
              <th scope="col">{t("dashboard.recognitionRate")}</th>
              <th scope="col">{t("dashboard.target")}</th>
              {codes.map((code) => (
                <th key={code} scope="col">
                  {ratingLabel(t, code)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/org-units/${c.id}/dashboard?year=${year}`}>{c.name}</Link>
                </th>
                {cells(c.figures)}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("dashboard.total", { name: unitName })}</th>
              {cells(stats.figures)}
            </tr>
          </tfoot>
        </table>
      </div>
    </details>
  );
}

/** The unit's target for this model and year, set inline. */
function TargetForm({
  unitId,
  year,
  model,
  current,
  onSaved,
}: {
  unitId: number;
  year: number;
  model: ModelCode;
  current: number | null;
  onSaved: () => void;
}) {
  const t = useT();
  const [text, setText] = useState(current === null ? "" : decimal(current));
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    setError(null);
    setFieldError(undefined);
    const value = parseTarget(text);
    if (value === null) {
      setFieldError(t("dashboard.targetInvalid"));
      return;
    }
    setBusy(true);
    try {
      await api.put("/api/v1/stats/targets", { orgUnitId: unitId, year, model, targetPercent: value });
      setDone(t("dashboard.targetSaved", { target: percent(value), year }));
      onSaved();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setFieldError(e.fieldErrors.targetPercent);
    } finally {
      setBusy(false);
    }
  }

  const inputId = useId();
  const hint = t("dashboard.targetHint", { year });
  return (
    <form className="dash-target" onSubmit={onSubmit} noValidate>
      <div className={fieldError ? "field field-invalid" : "field"}>
        <label htmlFor={inputId}>{t("dashboard.targetField")}</label>
        <div className="dash-target-row">
          <input
            id={inputId}
            value={text}
            inputMode="decimal"
            autoComplete="off"
            maxLength={10}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={describedBy(inputId, hint, fieldError)}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("dashboard.targetSaving") : t("dashboard.targetSave")}
          </button>
        </div>
        <FieldNotes id={inputId} hint={hint} error={fieldError} />
      </div>
      <Notice>{done}</Notice>
      <ErrorBox error={error} />
    </form>
  );
}
