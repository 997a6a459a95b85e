/**
 * A unit's events of a year: at a commune (and below) the list of its and its villages' events
 * with the form to add, correct or delete one and the picker that links the fund's scholarship
 * payments to it (the scholarships shown are derived from those payments, never typed); above a
 * commune, first the summary by unit below (events, communes that held the Week / the 2/10 Day,
 * scholarships) with its Excel export, then the unit's own events.
 */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { EVENT_KINDS } from "../../domain/events/events.ts";
import { formatDateShort, formatInteger, formatMoney } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextAreaField, TextField, typedNumber } from "../components/fields.tsx";
import { AddButton, FormActions, useFields, useRequest } from "../components/forms.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { useYearParam } from "../components/years.tsx";
import { useLoad } from "../hooks.ts";
import { type MessageKey, useT } from "../i18n/index.tsx";
import type { EventList, EventSummary, LinkableEntry, ProgrammeEvent } from "../types.ts";
import { ABOVE_COMMUNE, FIRST_YEAR, SummaryHeadline, SummaryTable, YearPicker } from "./EventParts.tsx";

export function EventsPage() {
  const t = useT();
  const unitId = Number(useParams().id);
  const [year, setYear] = useYearParam(FIRST_YEAR);
  const [kind, setKind] = useState("");
  const [version, setVersion] = useState(0);
  const list = useLoad(
    () => api.get<EventList>(`/api/v1/events${query({ orgUnitId: unitId, year, kind: kind || undefined })}`),
    [unitId, year, kind, version],
  );
  const above = list.data ? ABOVE_COMMUNE.includes(list.data.unit.kind) : false;
  const summary = useLoad(
    () =>
      above
        ? api.get<EventSummary>(`/api/v1/events/summary${query({ orgUnitId: unitId, year })}`)
        : Promise.resolve(null),
    [unitId, year, above, version],
  );
  const changed = () => setVersion((v) => v + 1);
  const l = list.data;
  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${unitId}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t(above ? "events.summary.title" : "events.title", { name: l?.unit.name ?? "" })}</h1>
      <YearPicker value={year} onChange={setYear} />
      <ErrorBox error={list.error ?? summary.error} />
      {summary.data && (
        <>
          <SummaryHeadline summary={summary.data} />
          <SummaryTable summary={summary.data} view="events" />
        </>
      )}
      {!l ? (
        !list.error && <Loading />
      ) : (
        <Events list={l} kind={kind} onKind={setKind} onChanged={changed} above={above} />
      )}
    </div>
  );
}

function Events({
  list,
  kind,
  onKind,
  onChanged,
  above,
}: {
  list: EventList;
  kind: string;
  onKind: (k: string) => void;
  onChanged: () => void;
  above: boolean;
}) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, run } = useRequest();

  async function remove(e: ProgrammeEvent) {
    if (!window.confirm(t("events.deleteConfirm", { title: e.title }))) return;
    if (await run(() => api.delete(`/api/v1/events/${e.id}`))) {
      setNotice(t("events.deleted"));
      onChanged();
    }
  }

  return (
    <section className="card" aria-labelledby="events-list-heading">
      <h2 id="events-list-heading">
        {above
          ? t("events.summary.ownEvents", { name: list.unit.name })
          : t("events.list", { count: list.events.length })}
      </h2>
      <SelectField label={t("events.kindFilter")} value={kind} onChange={(e) => onKind(e.target.value)}>
        <option value="">{t("events.allKinds")}</option>
        {EVENT_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`events.kind.${k}` as MessageKey)}
          </option>
        ))}
      </SelectField>
      <Notice>{notice}</Notice>
      <ErrorBox error={error} />
      {list.canWrite && !adding && (
        <AddButton
          label={t("events.add")}
          onClick={() => {
            setAdding(true);
            setNotice(null);
          }}
        />
      )}
      {adding && (
        <EventForm
          unitId={list.unit.id}
          year={list.year}
          onDone={(saved) => {
            setAdding(false);
            if (saved) {
              setNotice(t("events.added"));
              onChanged();
            }
          }}
        />
      )}
      {list.events.length === 0 && <p className="muted">{t("events.empty")}</p>}
      {list.events.length > 0 && (
        <ListExportLinks
          path="/api/v1/events"
          params={{ orgUnitId: list.unit.id, year: list.year, kind: kind || undefined }}
        />
      )}
      <ul className="record-list" data-testid="events-list">
        {list.events.map((e) =>
          editing === e.id ? (
            <li key={e.id}>
              <EventForm
                unitId={list.unit.id}
                year={list.year}
                event={e}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) {
                    setNotice(t("events.saved"));
                    onChanged();
                  }
                }}
              />
            </li>
          ) : (
            <li key={e.id} data-event={e.id}>
              <strong>{e.title}</strong>
              <br />
              <span className="muted">
                {t(`events.kind.${e.kind}` as MessageKey)}
                {e.unit.id !== list.unit.id && ` · ${e.unit.name}`}
              </span>
              <br />
              {t("events.summaryLine", {
                date:
                  e.startDate === e.endDate
                    ? formatDateShort(e.startDate)
                    : `${formatDateShort(e.startDate)} – ${formatDateShort(e.endDate)}`,
                participants: formatInteger(e.participants),
              })}
              {e.female !== null && t("events.femaleLine", { female: formatInteger(e.female) })}
              {e.place && ` · ${e.place}`}
              <br />
              <span data-testid="event-scholarships">
                {t("events.scholarships", {
                  count: formatInteger(e.fundScholarships),
                  amount: formatMoney(BigInt(e.fundScholarshipAmount)),
                })}
              </span>
              {e.directScholarships !== null && e.directScholarships > 0 && (
                <>
                  <br />
                  {t("events.directLine", {
                    count: formatInteger(e.directScholarships),
                    amount: formatMoney(BigInt(e.directScholarshipAmount ?? "0")),
                  })}
                </>
              )}
              {e.notes && <p className="pre-text">{e.notes}</p>}
              <Linked event={e} canWrite={list.canWrite} onChanged={onChanged} />
              {list.canWrite && (
                <div className="actions">
                  <button type="button" onClick={() => setEditing(e.id)}>
                    {t("common.edit")}
                  </button>
                  <button type="button" onClick={() => remove(e)}>
                    {t("common.delete")}
                  </button>
                </div>
              )}
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

function EventForm({
  unitId,
  year,
  event,
  onDone,
}: {
  unitId: number;
  year: number;
  event?: ProgrammeEvent;
  onDone: (saved: boolean) => void;
}) {
  const t = useT();
  const today = todayInVietnam();
  const defaultDate = today.startsWith(String(year)) ? today : `${year}-10-02`;
  const [f, set] = useFields({
    kind: event?.kind ?? "study_promotion_day",
    title: event?.title ?? "",
    startDate: event?.startDate ?? defaultDate,
    endDate: event?.endDate ?? defaultDate,
    place: event?.place ?? "",
    participants: event ? String(event.participants) : "",
    female: event?.female === null || event === undefined ? "" : String(event.female),
    directScholarships:
      event?.directScholarships === null || event === undefined ? "" : String(event.directScholarships),
    directScholarshipAmount: event?.directScholarshipAmount ?? "",
    notes: event?.notes ?? "",
  });
  const { error, fieldErrors, busy, submit } = useRequest();
  const label = event ? t("events.edit") : t("events.add");
  const body = () => ({
    kind: f.kind,
    title: f.title,
    startDate: f.startDate,
    endDate: f.endDate,
    place: f.place || null,
    participants: typedNumber(f.participants),
    female: typedNumber(f.female),
    directScholarships: typedNumber(f.directScholarships),
    directScholarshipAmount: typedNumber(f.directScholarshipAmount),
    notes: f.notes || null,
  });
  const save = () =>
    event
      ? api.put(`/api/v1/events/${event.id}`, body())
      : api.post("/api/v1/events", { ...body(), orgUnitId: unitId });

  return (
    <form className="card" onSubmit={submit(save, () => onDone(true))} noValidate aria-label={label}>
      <h3>{label}</h3>
      <ErrorBox error={error} />
      <SelectField
        label={t("events.field.kind")}
        value={f.kind}
        onChange={set("kind")}
        error={fieldErrors.kind}
      >
        {EVENT_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`events.kind.${k}` as MessageKey)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("events.field.title")}
        value={f.title}
        onChange={set("title")}
        error={fieldErrors.title}
      />
      <div className="field-grid">
        <TextField
          label={t("events.field.startDate")}
          type="date"
          value={f.startDate}
          onChange={set("startDate")}
          error={fieldErrors.startDate}
        />
        <TextField
          label={t("events.field.endDate")}
          type="date"
          value={f.endDate}
          onChange={set("endDate")}
          error={fieldErrors.endDate}
        />
        <TextField
          label={t("events.field.participants")}
          inputMode="numeric"
          value={f.participants}
          onChange={set("participants")}
          error={fieldErrors.participants}
        />
        <TextField
          label={t("events.field.female")}
          inputMode="numeric"
          value={f.female}
          onChange={set("female")}
          error={fieldErrors.female}
        />
        <TextField
          label={t("events.field.directScholarships")}
          inputMode="numeric"
          value={f.directScholarships}
          onChange={set("directScholarships")}
          error={fieldErrors.directScholarships}
        />
        <TextField
          label={t("events.field.directScholarshipAmount")}
          inputMode="numeric"
          hint={t("events.field.directHint")}
          value={f.directScholarshipAmount}
          onChange={set("directScholarshipAmount")}
          error={fieldErrors.directScholarshipAmount}
        />
      </div>
      <TextField
        label={t("events.field.place")}
        value={f.place}
        onChange={set("place")}
        error={fieldErrors.place}
      />
      <TextAreaField
        label={t("events.field.notes")}
        rows={3}
        value={f.notes}
        onChange={set("notes")}
        error={fieldErrors.notes}
      />
      <FormActions busy={busy} onCancel={() => onDone(false)} />
    </form>
  );
}

/** The fund payments linked to an event, and the picker that links another. */
function Linked({
  event,
  canWrite,
  onChanged,
}: {
  event: ProgrammeEvent;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, run } = useRequest();

  async function unlink(entryId: number) {
    if (await run(() => api.delete(`/api/v1/events/${event.id}/fund-entries/${entryId}`))) onChanged();
  }

  return (
    <div>
      <Notice>{notice}</Notice>
      <ErrorBox error={error} />
      {event.linked.length > 0 && (
        <>
          <h4>{t("events.linked")}</h4>
          <ul>
            {event.linked.map((l) => (
              <li key={l.entryId}>
                {formatDateShort(l.date)} · {l.fundName} · {formatMoney(BigInt(l.amount))} ·{" "}
                {formatInteger(l.beneficiaries)}
                {l.reversed && <em> ({t("events.reversed")})</em>}
                {canWrite && (
                  <button type="button" onClick={() => unlink(l.entryId)}>
                    {t("events.unlink")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {canWrite &&
        (open ? (
          <LinkPicker
            eventId={event.id}
            onDone={(linked) => {
              setOpen(false);
              if (linked) {
                setNotice(t("events.linkedNotice"));
                onChanged();
              }
            }}
          />
        ) : (
          <p>
            <button
              type="button"
              onClick={() => {
                setOpen(true);
                setNotice(null);
              }}
            >
              {t("events.linkTitle")}
            </button>
          </p>
        ))}
    </div>
  );
}

function LinkPicker({ eventId, onDone }: { eventId: number; onDone: (linked: boolean) => void }) {
  const t = useT();
  const entries = useLoad(
    () => api.get<LinkableEntry[]>(`/api/v1/events/${eventId}/linkable-entries`),
    [eventId],
  );
  const [picked, setPicked] = useState("");
  const { error, fieldErrors, submit } = useRequest();
  const link = () => api.post(`/api/v1/events/${eventId}/fund-entries`, { fundEntryId: typedNumber(picked) });
  if (entries.error) return <ErrorBox error={entries.error} />;
  if (!entries.data) return <Loading />;
  return (
    <form onSubmit={submit(link, () => onDone(true))} noValidate aria-label={t("events.linkTitle")}>
      <ErrorBox error={error} />
      {entries.data.length === 0 ? (
        <p className="muted">{t("events.linkNone")}</p>
      ) : (
        <SelectField
          label={t("events.linkPick")}
          value={picked}
          onChange={(e) => setPicked(e.target.value)}
          error={fieldErrors.fundEntryId}
        >
          <option value="">—</option>
          {entries.data.map((x) => (
            <option key={x.entryId} value={x.entryId}>
              {t("events.entryOption", {
                date: formatDateShort(x.date),
                fund: x.fundName,
                amount: formatMoney(BigInt(x.amount)),
                count: formatInteger(x.beneficiaries),
              })}
            </option>
          ))}
        </SelectField>
      )}
      <div className="actions">
        {entries.data.length > 0 && <button type="submit">{t("events.linkButton")}</button>}
        <button type="button" onClick={() => onDone(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
