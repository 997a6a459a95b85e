/**
 * The Study Promotion Association of a unit (Hội Khuyến học), for a year: the totals, the trend
 * and one row per unit below (read from the live counters); at a commune (or a province's own
 * body) the chapters with their year's figures, editable row by row on a phone, and the commune's
 * population, the denominator of "members as a share of the population".
 */
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort, formatInteger } from "../../domain/format.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextField, typedNumber } from "../components/fields.tsx";
import { AddButton, FormActions, useFields, useRequest } from "../components/forms.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { thisYear, useYearParam, YearSelect, yearsDown } from "../components/years.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { AssociationBody, AssociationChapter, AssociationReport } from "../types.ts";
import { ChildrenTable, Totals, Trend } from "./AssociationParts.tsx";

const LINKED_KIND: Record<string, string | undefined> = {
  village: "village",
  school: "school",
  agency: "agency",
  enterprise: "enterprise",
};

export function AssociationPage() {
  const t = useT();
  const unitId = Number(useParams().id);
  // The last ten years, this one first.
  const [year, setYear] = useYearParam(thisYear() - 9, thisYear());
  const [version, setVersion] = useState(0);
  const report = useLoad(
    () => api.get<AssociationReport>(`/api/v1/association/report${query({ orgUnitId: unitId, year })}`),
    [unitId, year, version],
  );
  // Communes and provinces have a body with chapters; other units answer "wrong_unit_kind".
  const body = useLoad(
    () =>
      api
        .get<AssociationBody>(`/api/v1/association/bodies/${unitId}${query({ year })}`)
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.problem.code === "wrong_unit_kind") return null;
          throw e;
        }),
    [unitId, year, version],
  );
  const changed = () => setVersion((v) => v + 1);
  const name = report.data?.unit.name ?? body.data?.unit.name ?? "";
  const partial = body.data && !body.data.complete;

  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${unitId}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("association.title", { name })}</h1>
      <p className="muted">{t("association.intro")}</p>
      <YearSelect
        label={t("common.year")}
        value={year}
        years={yearsDown(thisYear(), thisYear() - 9)}
        onChange={setYear}
      />
      {partial ? (
        <p className="notice">{t("association.partial")}</p>
      ) : report.error ? (
        <ErrorBox error={report.error} />
      ) : !report.data ? (
        <Loading />
      ) : (
        <>
          <Totals report={report.data} />
          {report.data.children.length > 0 && (
            <ChildrenTable
              report={report.data}
              linkOf={(id) => `/org-units/${id}/association?year=${year}`}
            />
          )}
          <Trend report={report.data} />
        </>
      )}
      <ErrorBox error={body.error} />
      {body.data && (
        <>
          {body.data.unit.kind === "commune" && body.data.complete && (
            <PopulationCard body={body.data} onSaved={changed} />
          )}
          <Chapters body={body.data} onChanged={changed} />
        </>
      )}
    </div>
  );
}

// ─── Population ────────────────────────────────────────────────────────────────────────

function PopulationCard({ body, onSaved }: { body: AssociationBody; onSaved: () => void }) {
  const t = useT();
  const [text, setText] = useState(body.population ? String(body.population.population) : "");
  const [shownYear, setShownYear] = useState(body.year);
  if (shownYear !== body.year) {
    setShownYear(body.year);
    setText(body.population ? String(body.population.population) : "");
  }
  const [notice, setNotice] = useState<string | null>(null);
  const { error, fieldErrors, run } = useRequest();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const save = () =>
      api.put(`/api/v1/association/populations/${body.unit.id}/${body.year}`, {
        population: typedNumber(text),
      });
    if (await run(save)) {
      setNotice(t("association.populationSaved"));
      onSaved();
    }
  }

  return (
    <section className="card" aria-labelledby="assoc-population-heading">
      <h2 id="assoc-population-heading">{t("association.populationCard", { year: body.year })}</h2>
      {!body.population && <p className="muted">{t("association.populationNone", { year: body.year })}</p>}
      {body.canWritePopulation ? (
        <form onSubmit={submit} noValidate aria-label={t("association.populationCard", { year: body.year })}>
          <ErrorBox error={error} />
          <Notice>{notice}</Notice>
          <TextField
            label={t("association.populationField")}
            hint={t("association.populationHint")}
            inputMode="numeric"
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={fieldErrors.population}
          />
          <button type="submit">{t("common.save")}</button>
        </form>
      ) : (
        body.population && <p>{formatInteger(body.population.population)}</p>
      )}
    </section>
  );
}

// ─── Chapters ──────────────────────────────────────────────────────────────────────────

function Chapters({ body, onChanged }: { body: AssociationBody; onChanged: () => void }) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="assoc-chapters-heading">
      <h2 id="assoc-chapters-heading">{t("association.chapterList", { count: body.chapters.length })}</h2>
      <Notice>{notice}</Notice>
      {body.canManage && !adding && (
        <AddButton
          label={t("association.addChapter")}
          onClick={() => {
            setAdding(true);
            setNotice(null);
          }}
        />
      )}
      {adding && (
        <ChapterForm
          body={body}
          onDone={(saved) => {
            setAdding(false);
            if (saved) {
              setNotice(t("association.chapter.created"));
              onChanged();
            }
          }}
        />
      )}
      {body.chapters.length === 0 && <p className="muted">{t("association.chapterListEmpty")}</p>}
      {body.chapters.length > 0 && (
        <ListExportLinks
          path={`/api/v1/association/bodies/${body.unit.id}/chapters`}
          params={{ year: body.year }}
        />
      )}
      <ul className="record-list">
        {body.chapters.map((c) => (
          <ChapterItem key={c.id} body={body} chapter={c} onChanged={onChanged} />
        ))}
      </ul>
    </section>
  );
}

function ChapterItem({
  body,
  chapter: c,
  onChanged,
}: {
  body: AssociationBody;
  chapter: AssociationChapter;
  onChanged: () => void;
}) {
  const t = useT();
  const [mode, setMode] = useState<"view" | "edit" | "dissolve">("view");
  const { error, run } = useRequest();

  async function remove() {
    if (!window.confirm(t("association.deleteConfirm", { name: c.name }))) return;
    if (await run(() => api.delete(`/api/v1/association/chapters/${c.id}`))) onChanged();
  }
  async function undissolve() {
    const undo = () => api.put(`/api/v1/association/chapters/${c.id}/dissolution`, { dissolvedOn: null });
    if (await run(undo)) onChanged();
  }

  if (mode === "edit") {
    return (
      <li>
        <ChapterForm
          body={body}
          chapter={c}
          onDone={(saved) => {
            setMode("view");
            if (saved) onChanged();
          }}
        />
      </li>
    );
  }
  const facts = [
    t(`association.kind.${c.kind}`),
    c.linkedUnit?.name,
    c.clan?.name,
    c.headName,
    c.foundedOn && t("association.chapter.founded", { date: formatDateShort(c.foundedOn) }),
  ].filter(Boolean);
  const dissolvedBefore = c.dissolvedOn !== null && Number(c.dissolvedOn.slice(0, 4)) < body.year;
  const notYet = c.foundedOn !== null && Number(c.foundedOn.slice(0, 4)) > body.year;
  return (
    <li className={c.dissolvedOn ? "assoc-chapter-dissolved" : undefined} data-chapter={c.id}>
      <strong>{c.name}</strong>
      <br />
      <span className="muted">{facts.join(" · ")}</span>
      {c.dissolvedOn && (
        <>
          <br />
          <strong>{t("association.chapter.dissolved", { date: formatDateShort(c.dissolvedOn) })}</strong>
        </>
      )}
      {!dissolvedBefore && !notYet && <FiguresForm body={body} chapter={c} onSaved={onChanged} />}
      <ErrorBox error={error} />
      {mode === "dissolve" && (
        <DissolveForm
          chapter={c}
          onDone={(saved) => {
            setMode("view");
            if (saved) onChanged();
          }}
        />
      )}
      {body.canManage && mode === "view" && (
        <div className="actions">
          <button type="button" onClick={() => setMode("edit")}>
            {t("common.edit")}
          </button>
          {c.dissolvedOn ? (
            <button type="button" onClick={undissolve}>
              {t("association.undissolve")}
            </button>
          ) : (
            <button type="button" onClick={() => setMode("dissolve")}>
              {t("association.dissolve")}
            </button>
          )}
          {c.yearsWithFigures.length === 0 && (
            <button type="button" onClick={remove}>
              {t("common.delete")}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** A chapter's four figures for the year: one small form per chapter, saved on its own. */
function FiguresForm({
  body,
  chapter: c,
  onSaved,
}: {
  body: AssociationBody;
  chapter: AssociationChapter;
  onSaved: () => void;
}) {
  const t = useT();
  const initial = () => ({
    members: c.figures ? String(c.figures.members) : "",
    female: c.figures ? String(c.figures.female) : "",
    newMembers: c.figures ? String(c.figures.newMembers) : "",
    dues: c.figures ? c.figures.dues : "",
  });
  const [f, set, setF] = useFields(initial);
  const [shown, setShown] = useState(`${body.year}`);
  if (shown !== `${body.year}`) {
    setShown(`${body.year}`);
    setF(initial());
  }
  const [notice, setNotice] = useState<string | null>(null);
  const { error, fieldErrors, busy, run } = useRequest();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const save = () =>
      api.put(`/api/v1/association/chapters/${c.id}/years/${body.year}`, {
        members: typedNumber(f.members),
        female: typedNumber(f.female),
        newMembers: typedNumber(f.newMembers),
        dues: typedNumber(f.dues),
      });
    if (await run(save)) {
      setNotice(t("association.figuresSaved", { year: body.year, name: c.name }));
      onSaved();
    }
  }

  if (!c.canWrite) {
    return c.figures ? null : <p className="muted">{t("association.figuresNone", { year: body.year })}</p>;
  }
  return (
    <form onSubmit={submit} noValidate aria-label={c.name}>
      <ErrorBox error={error} />
      {fieldErrors.year && <p className="error">{fieldErrors.year}</p>}
      <Notice>{notice}</Notice>
      <div className="assoc-figures">
        <TextField
          label={t("association.figures.members")}
          inputMode="numeric"
          value={f.members}
          onChange={set("members")}
          error={fieldErrors.members}
        />
        <TextField
          label={t("association.figures.female")}
          inputMode="numeric"
          value={f.female}
          onChange={set("female")}
          error={fieldErrors.female}
        />
        <TextField
          label={t("association.figures.newMembers")}
          inputMode="numeric"
          value={f.newMembers}
          onChange={set("newMembers")}
          error={fieldErrors.newMembers}
        />
        <TextField
          label={t("association.figures.dues")}
          inputMode="numeric"
          value={f.dues}
          onChange={set("dues")}
          error={fieldErrors.dues}
        />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? t("common.saving") : t("association.saveFigures")}
      </button>
    </form>
  );
}

function DissolveForm({
  chapter,
  onDone,
}: {
  chapter: AssociationChapter;
  onDone: (saved: boolean) => void;
}) {
  const t = useT();
  const [date, setDate] = useState(todayInVietnam());
  const { error, fieldErrors, submit } = useRequest();
  const dissolve = () =>
    api.put(`/api/v1/association/chapters/${chapter.id}/dissolution`, { dissolvedOn: date });
  return (
    <form onSubmit={submit(dissolve, () => onDone(true))} noValidate aria-label={t("association.dissolve")}>
      <ErrorBox error={error} />
      <TextField
        label={t("association.chapter.dissolvedOn")}
        type="date"
        value={date}
        onChange={(e) => setDate(e.target.value)}
        error={fieldErrors.dissolvedOn}
      />
      <FormActions saveLabel={t("association.dissolveSave")} onCancel={() => onDone(false)} />
    </form>
  );
}

function ChapterForm({
  body,
  chapter,
  onDone,
}: {
  body: AssociationBody;
  chapter?: AssociationChapter;
  onDone: (saved: boolean) => void;
}) {
  const t = useT();
  const [f, set, setF] = useFields({
    kind: chapter?.kind ?? body.chapterKinds[0] ?? "other",
    name: chapter?.name ?? "",
    linkedUnitId: chapter?.linkedUnit ? String(chapter.linkedUnit.id) : "",
    clanId: chapter?.clan ? String(chapter.clan.id) : "",
    headName: chapter?.headName ?? "",
    foundedOn: chapter?.foundedOn ?? "",
  });
  const { error, fieldErrors, busy, submit } = useRequest();
  const linkKind = LINKED_KIND[f.kind];
  const units = body.linkOptions.units.filter((u) => u.kind === linkKind);
  // A linked unit or clan that no longer fits the kind chosen is not sent.
  const linkedUnitId =
    linkKind && units.some((u) => String(u.id) === f.linkedUnitId) ? Number(f.linkedUnitId) : null;
  const clanId = f.kind === "clan" && f.clanId ? Number(f.clanId) : null;

  const save = () => {
    const payload = {
      kind: f.kind,
      name: f.name,
      linkedUnitId,
      clanId,
      headName: f.headName || null,
      foundedOn: f.foundedOn || null,
    };
    return chapter
      ? api.put(`/api/v1/association/chapters/${chapter.id}`, payload)
      : api.post(`/api/v1/association/bodies/${body.unit.id}/chapters`, payload);
  };

  const title = chapter ? t("association.editChapter") : t("association.addChapter");
  return (
    <form className="card" onSubmit={submit(save, () => onDone(true))} noValidate aria-label={title}>
      <h3>{title}</h3>
      <ErrorBox error={error} />
      <SelectField
        label={t("association.chapter.kind")}
        value={f.kind}
        onChange={set("kind")}
        error={fieldErrors.kind}
      >
        {body.chapterKinds.map((k) => (
          <option key={k} value={k}>
            {t(`association.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      {linkKind && (
        <SelectField
          label={t("association.chapter.linkedUnit")}
          value={f.linkedUnitId}
          onChange={(e) => {
            const unit = units.find((u) => String(u.id) === e.target.value);
            setF((s) => ({
              ...s,
              linkedUnitId: e.target.value,
              // A chapter is usually named after its village or school: offer that name.
              name: s.name === "" && unit ? `${t(`association.kind.${s.kind}`)} ${unit.name}` : s.name,
            }));
          }}
          error={fieldErrors.linkedUnitId}
        >
          <option value="">{t("association.chapter.linkedNone")}</option>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
      )}
      {f.kind === "clan" && body.linkOptions.clans.length > 0 && (
        <SelectField
          label={t("association.chapter.clan")}
          value={f.clanId}
          onChange={(e) => {
            const clan = body.linkOptions.clans.find((c) => String(c.id) === e.target.value);
            setF((s) => ({
              ...s,
              clanId: e.target.value,
              name: s.name === "" && clan ? `${clan.name} khuyến học` : s.name,
            }));
          }}
          error={fieldErrors.clanId}
        >
          <option value="">{t("association.chapter.linkedNone")}</option>
          {body.linkOptions.clans.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        label={t("association.chapter.name")}
        hint={t("association.chapter.nameHint")}
        value={f.name}
        onChange={set("name")}
        error={fieldErrors.name}
        required
      />
      <TextField
        label={t("association.chapter.head")}
        value={f.headName}
        onChange={set("headName")}
        error={fieldErrors.headName}
      />
      <TextField
        label={t("association.chapter.foundedOn")}
        hint={t("association.chapter.foundedHint")}
        type="date"
        value={f.foundedOn}
        onChange={set("foundedOn")}
        error={fieldErrors.foundedOn}
      />
      <FormActions busy={busy} onCancel={() => onDone(false)} />
    </form>
  );
}
