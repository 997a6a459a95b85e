/** Shared pieces of the events and agreements screens: the year picker and the summary table by unit. */
import { formatInteger, formatMoney } from "../../domain/format.ts";
import { query } from "../api.ts";
import { ExcelLink, UnitFiguresTable } from "../components/figures.tsx";
import { thisYear, YearSelect, yearsDown } from "../components/years.tsx";
import { type MessageKey, type Translate, useT } from "../i18n/index.tsx";
import type { EventFigures, EventSummary } from "../types.ts";

/** The first year the events and agreements screens offer. */
export const FIRST_YEAR = 2016;

/** Units above a commune: their screens start with the summary by unit below. */
export const ABOVE_COMMUNE = ["nation", "province", "cluster", "district"];

export function YearPicker({ value, onChange }: { value: number; onChange: (year: number) => void }) {
  const t = useT();
  return (
    <YearSelect
      label={t("common.year")}
      value={value}
      years={yearsDown(thisYear() + 1, FIRST_YEAR)}
      optionLabel={(year) => t("events.yearOption", { year })}
      onChange={onChange}
    />
  );
}

export function changeText(t: Translate, change: EventFigures["agreements"]["change"]): string {
  if (!change) return "—";
  return t(`events.change.${change.direction}` as MessageKey, { n: change.difference });
}

/**
 * Women among the participants, honest about the events that did not give the figure:
 * "120" when every event did, "120 (3/4 sự kiện)" when some did, "Chưa có số liệu" when none did.
 */
function femaleCell(t: Translate, f: EventFigures): string {
  if (f.femaleEvents === f.events) return formatInteger(f.female);
  if (f.femaleEvents === 0) return t("events.summary.noData");
  return t("events.summary.femalePart", {
    female: formatInteger(f.female),
    reported: f.femaleEvents,
    events: f.events,
  });
}

/** "Người tham gia: 1.200; nữ: 120 (trên 3/4 sự kiện có số liệu)". */
function participantsLine(t: Translate, f: EventFigures): string {
  const figures = {
    participants: formatInteger(f.participants),
    female: formatInteger(f.female),
    reported: f.femaleEvents,
    events: f.events,
  };
  if (f.femaleEvents === f.events) return t("events.summary.participantsLine", figures);
  if (f.femaleEvents === 0) return t("events.summary.participantsLineNone", figures);
  return t("events.summary.participantsLinePart", figures);
}

const heldOf = (f: EventFigures, kind: string) => f.kinds.find((k) => k.kind === kind)?.communesHeld ?? 0;

/** "Tuần lễ…: 27/27 xã đã tổ chức" for the Week and the 2/10 Day, the participants and the scholarships. */
export function SummaryHeadline({ summary }: { summary: EventSummary }) {
  const t = useT();
  const f = summary.total;
  return (
    <ul data-testid="events-headline">
      {(["lifelong_learning_week", "study_promotion_day"] as const).map((kind) => (
        <li key={kind} data-kind={kind}>
          {t("events.summary.heldLine", {
            kind: t(`events.kind.${kind}`),
            held: heldOf(f, kind),
            communes: f.communes,
          })}
        </li>
      ))}
      <li data-testid="events-participants">{participantsLine(t, f)}</li>
      <li>
        {t("events.summary.scholarshipsLine", {
          count: formatInteger(f.fundScholarships),
          amount: formatMoney(BigInt(f.fundScholarshipAmount)),
          direct: formatInteger(f.directScholarships),
          directAmount: formatMoney(BigInt(f.directScholarshipAmount)),
        })}
      </li>
    </ul>
  );
}

/** One row per unit below plus the total; a unit with nothing recorded says so instead of 0. */
export function SummaryTable({ summary, view }: { summary: EventSummary; view: "events" | "agreements" }) {
  const t = useT();
  const eventCells = (f: EventFigures) => (
    <>
      <td className="num">{formatInteger(f.events)}</td>
      <td className="num">{formatInteger(f.participants)}</td>
      <td className="num">{femaleCell(t, f)}</td>
      <td className="num">
        {t("events.summary.held", { held: heldOf(f, "lifelong_learning_week"), communes: f.communes })}
      </td>
      <td className="num">
        {t("events.summary.held", { held: heldOf(f, "study_promotion_day"), communes: f.communes })}
      </td>
      <td className="num">{formatInteger(f.fundScholarships + f.directScholarships)}</td>
    </>
  );
  const agreementCells = (f: EventFigures) => (
    <>
      <td className="num">{formatInteger(f.agreements.signed)}</td>
      <td>{changeText(t, f.agreements.change)}</td>
      <td className="num">{formatInteger(f.agreements.active)}</td>
    </>
  );
  const cells = (f: EventFigures) => (view === "events" ? eventCells(f) : agreementCells(f));
  const link = view === "events" ? "events" : "agreements";
  const columns =
    view === "events"
      ? [
          t("events.summary.events"),
          t("events.summary.participants"),
          t("events.summary.female"),
          t("events.summary.week"),
          t("events.summary.day"),
          t("events.summary.scholarships"),
        ]
      : [t("events.summary.signed"), t("events.summary.change"), t("events.summary.active")];
  return (
    <section className="card" aria-labelledby="events-children-heading">
      <h2 id="events-children-heading">{t("events.summary.children")}</h2>
      <UnitFiguresTable
        testId={`${view}-children`}
        columns={columns}
        missingText={t("events.summary.noData")}
        rows={summary.children.map((c) => ({
          id: c.id,
          name: c.name,
          to: `/org-units/${c.id}/${link}?year=${summary.year}`,
          cells: (view === "events" ? c.eventsMissing : c.agreementsMissing) ? null : cells(c.figures),
        }))}
        total={{ label: t("common.total"), cells: cells(summary.total) }}
      />
      <ExcelLink
        href={`/api/v1/events/summary/export.xlsx${query({ orgUnitId: summary.unit.id, year: summary.year })}`}
      >
        {t("events.download")}
      </ExcelLink>
    </section>
  );
}
