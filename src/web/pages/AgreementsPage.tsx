/**
 * A unit's coordination agreements (chương trình phối hợp) of a year: signed that year (and the
 * change from last year: "8, tăng 3 so với năm 2023"), in force during it; add, correct, end
 * early, delete one entered by mistake. Above a commune, the figures of each unit below first.
 */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { PARTNER_KINDS } from "../../domain/events/agreements.ts";
import { formatDateShort } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextAreaField, TextField } from "../components/fields.tsx";
import { AddButton, FormActions, useFields, useRequest } from "../components/forms.tsx";
import { useYearParam } from "../components/years.tsx";
import { useLoad } from "../hooks.ts";
import { type MessageKey, useT } from "../i18n/index.tsx";
import type { Agreement, AgreementList, EventSummary } from "../types.ts";
import { ABOVE_COMMUNE, changeText, FIRST_YEAR, SummaryTable, YearPicker } from "./EventParts.tsx";

export function AgreementsPage() {
  const t = useT();
  const unitId = Number(useParams().id);
  const [year, setYear] = useYearParam(FIRST_YEAR);
  const [version, setVersion] = useState(0);
  const list = useLoad(
    () => api.get<AgreementList>(`/api/v1/agreements${query({ orgUnitId: unitId, year })}`),
    [unitId, year, version],
  );
  const above = list.data ? ABOVE_COMMUNE.includes(list.data.unit.kind) : false;
  const summary = useLoad(
    () =>
      above
        ? api.get<EventSummary>(`/api/v1/events/summary${query({ orgUnitId: unitId, year })}`)
        : Promise.resolve(null),
    [unitId, year, above, version],
  );
  const l = list.data;
  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${unitId}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("agreements.title", { name: l?.unit.name ?? "" })}</h1>
      <YearPicker value={year} onChange={setYear} />
      <ErrorBox error={list.error ?? summary.error} />
      {!l ? (
        !list.error && <Loading />
      ) : (
        <>
          <p data-testid="agreements-figures">
            <strong>{t("agreements.figures", { year: l.year, signed: l.figures.signed })}</strong>
            {l.figures.change &&
              t("agreements.figuresChange", { change: changeText(t, l.figures.change), last: l.year - 1 })}
            <br />
            {t("agreements.active", { active: l.figures.active })}
          </p>
          {summary.data && <SummaryTable summary={summary.data} view="agreements" />}
          <Agreements list={l} onChanged={() => setVersion((v) => v + 1)} />
        </>
      )}
    </div>
  );
}

function Agreements({ list, onChanged }: { list: AgreementList; onChanged: () => void }) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, run } = useRequest();

  async function remove(a: Agreement) {
    if (!window.confirm(t("agreements.deleteConfirm", { name: a.partnerName }))) return;
    if (await run(() => api.delete(`/api/v1/agreements/${a.id}`))) onChanged();
  }
  const done = (message: string) => (saved: boolean) => {
    setAdding(false);
    setEditing(null);
    if (saved) {
      setNotice(message);
      onChanged();
    }
  };

  return (
    <section className="card" aria-labelledby="agreements-heading">
      <h2 id="agreements-heading">{t("agreements.list", { count: list.agreements.length })}</h2>
      <Notice>{notice}</Notice>
      <ErrorBox error={error} />
      {list.canWrite && !adding && (
        <AddButton
          label={t("agreements.add")}
          onClick={() => {
            setAdding(true);
            setNotice(null);
          }}
        />
      )}
      {adding && <AgreementForm unitId={list.unit.id} onDone={done(t("agreements.added"))} />}
      {list.agreements.length === 0 && <p className="muted">{t("agreements.empty")}</p>}
      <ul className="record-list" data-testid="agreements-list">
        {list.agreements.map((a) =>
          editing === a.id ? (
            <li key={a.id}>
              <AgreementForm unitId={list.unit.id} agreement={a} onDone={done(t("events.saved"))} />
            </li>
          ) : (
            <li key={a.id}>
              <strong>{a.partnerName}</strong>
              <br />
              <span className="muted">
                {t(`agreements.partner.${a.partnerKind}` as MessageKey)}
                {a.documentNumber && ` · ${a.documentNumber}`}
                {a.unit.id !== list.unit.id && ` · ${a.unit.name}`}
              </span>
              <br />
              {t("agreements.period", {
                signed: formatDateShort(a.signedOn),
                from: formatDateShort(a.coversFrom),
                to: formatDateShort(a.coversTo),
              })}
              {a.endedOn && (
                <>
                  <br />
                  <em>{t("agreements.endedLine", { date: formatDateShort(a.endedOn) })}</em>
                </>
              )}
              {a.content && <p className="pre-text">{a.content}</p>}
              {list.canWrite && (
                <>
                  {!a.endedOn && <EndForm agreement={a} onDone={done(t("agreements.ended"))} />}
                  <div className="actions">
                    <button type="button" onClick={() => setEditing(a.id)}>
                      {t("common.edit")}
                    </button>
                    <button type="button" onClick={() => remove(a)}>
                      {t("common.delete")}
                    </button>
                  </div>
                </>
              )}
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

function AgreementForm({
  unitId,
  agreement,
  onDone,
}: {
  unitId: number;
  agreement?: Agreement;
  onDone: (saved: boolean) => void;
}) {
  const t = useT();
  const today = todayInVietnam();
  const [f, set] = useFields({
    partnerName: agreement?.partnerName ?? "",
    partnerKind: agreement?.partnerKind ?? "mass_organisation",
    documentNumber: agreement?.documentNumber ?? "",
    signedOn: agreement?.signedOn ?? today,
    coversFrom: agreement?.coversFrom ?? today,
    coversTo: agreement?.coversTo ?? `${today.slice(0, 4)}-12-31`,
    content: agreement?.content ?? "",
    endedOn: agreement?.endedOn ?? "",
  });
  const { error, fieldErrors, busy, submit } = useRequest();
  const label = agreement ? t("agreements.edit") : t("agreements.add");
  const body = () => ({
    partnerName: f.partnerName,
    partnerKind: f.partnerKind,
    documentNumber: f.documentNumber || null,
    signedOn: f.signedOn,
    coversFrom: f.coversFrom,
    coversTo: f.coversTo,
    content: f.content || null,
    endedOn: f.endedOn || null,
  });
  const save = () =>
    agreement
      ? api.put(`/api/v1/agreements/${agreement.id}`, body())
      : api.post("/api/v1/agreements", { ...body(), orgUnitId: unitId });

  return (
    <form className="card" onSubmit={submit(save, () => onDone(true))} noValidate aria-label={label}>
      <h3>{label}</h3>
      <ErrorBox error={error} />
      <TextField
        label={t("agreements.field.partnerName")}
        value={f.partnerName}
        onChange={set("partnerName")}
        error={fieldErrors.partnerName}
      />
      <SelectField
        label={t("agreements.field.partnerKind")}
        value={f.partnerKind}
        onChange={set("partnerKind")}
        error={fieldErrors.partnerKind}
      >
        {PARTNER_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`agreements.partner.${k}` as MessageKey)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("agreements.field.documentNumber")}
        value={f.documentNumber}
        onChange={set("documentNumber")}
        error={fieldErrors.documentNumber}
      />
      <div className="field-grid">
        <TextField
          label={t("agreements.field.signedOn")}
          type="date"
          value={f.signedOn}
          onChange={set("signedOn")}
          error={fieldErrors.signedOn}
        />
        <TextField
          label={t("agreements.field.coversFrom")}
          type="date"
          value={f.coversFrom}
          onChange={set("coversFrom")}
          error={fieldErrors.coversFrom}
        />
        <TextField
          label={t("agreements.field.coversTo")}
          type="date"
          value={f.coversTo}
          onChange={set("coversTo")}
          error={fieldErrors.coversTo}
        />
        {agreement && (
          <TextField
            label={t("agreements.field.endedOn")}
            type="date"
            value={f.endedOn}
            onChange={set("endedOn")}
            error={fieldErrors.endedOn}
          />
        )}
      </div>
      <TextAreaField
        label={t("agreements.field.content")}
        rows={3}
        value={f.content}
        onChange={set("content")}
        error={fieldErrors.content}
      />
      <FormActions busy={busy} onCancel={() => onDone(false)} />
    </form>
  );
}

function EndForm({ agreement, onDone }: { agreement: Agreement; onDone: (saved: boolean) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [endedOn, setEndedOn] = useState(todayInVietnam());
  const { error, fieldErrors, submit } = useRequest();
  const end = () => api.post(`/api/v1/agreements/${agreement.id}/end`, { endedOn });
  if (!open)
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          {t("agreements.end")}
        </button>
      </p>
    );
  return (
    <form
      onSubmit={submit(end, () => {
        setOpen(false);
        onDone(true);
      })}
      noValidate
      aria-label={t("agreements.end")}
    >
      <ErrorBox error={error} />
      <TextField
        label={t("agreements.field.endedOn")}
        type="date"
        value={endedOn}
        onChange={(e) => setEndedOn(e.target.value)}
        error={fieldErrors.endedOn}
      />
      <FormActions saveLabel={t("agreements.endButton")} onCancel={() => setOpen(false)} />
    </form>
  );
}
