/**
 * A commune's community learning centre (TTHTCĐ): its board and premises, the year's plan and
 * funding by source, the rating by the level above, the activities of a year or school year
 * with the "Thêm hoạt động" form, and the category table of seed 004 computed from them.
 */
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort, formatInteger, formatMoney } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextAreaField, TextField, typedNumber } from "../components/fields.tsx";
import { AddButton, FormActions, useFields, useRequest } from "../components/forms.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import {
  CategoryTable,
  type CentreActivity,
  type CentreCategory,
  type CentreDetail,
  type CentreReport,
  type CommuneCentre,
  PeriodPicker,
} from "./CentreParts.tsx";

const BOARD_ROLES = ["director", "deputy", "member"] as const;
const RATINGS = ["tot", "kha", "trung_binh", "yeu"] as const;

const num = typedNumber;

export function CentrePage() {
  const t = useT();
  const communeId = Number(useParams().id);
  const data = useLoad(() => api.get<CommuneCentre>(`/api/v1/centres/of-commune/${communeId}`), [communeId]);
  const [creating, setCreating] = useState<unknown>(null);

  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  const { commune, centre, canCreate } = data.data;

  async function create() {
    setCreating(null);
    try {
      await api.post("/api/v1/org-units", {
        parentId: commune.id,
        kind: "learning_centre",
        name: t("centres.defaultName", { name: commune.name }),
      });
      data.reload();
    } catch (error) {
      setCreating(error);
    }
  }

  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${commune.id}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("centres.title", { name: commune.name })}</h1>
      {!centre ? (
        <section className="card">
          <p>{t("centres.none")}</p>
          <ErrorBox error={creating} />
          {canCreate && (
            <button type="button" onClick={create}>
              {t("centres.create")}
            </button>
          )}
        </section>
      ) : (
        <Centre centre={centre} reload={data.reload} />
      )}
    </div>
  );
}

function Centre({ centre, reload }: { centre: CentreDetail; reload: () => void }) {
  const [period, setPeriod] = useState(todayInVietnam().slice(0, 4));
  const [version, setVersion] = useState(0);
  const report = useLoad(
    () => api.get<CentreReport>(`/api/v1/centres/report${query({ orgUnitId: centre.id, period })}`),
    [centre.id, period, version],
  );
  const activities = useLoad(
    () => api.get<CentreActivity[]>(`/api/v1/centres/${centre.id}/activities${query({ period })}`),
    [centre.id, period, version],
  );
  const categories = useLoad(() => api.get<CentreCategory[]>("/api/v1/centres/categories"), []);
  const year = Number(period.slice(0, 4));
  const changed = () => {
    setVersion((v) => v + 1);
    reload();
  };
  return (
    <>
      <p className="muted">{centre.name}</p>
      <PeriodPicker value={period} onChange={setPeriod} />
      {report.error ? (
        <ErrorBox error={report.error} />
      ) : report.data ? (
        <CategoryTable report={report.data} />
      ) : (
        <Loading />
      )}
      <Activities
        centre={centre}
        period={period}
        categories={categories.data ?? []}
        items={activities.data}
        error={activities.error}
        onChanged={changed}
      />
      <YearCard centre={centre} year={year} onSaved={changed} />
      <Board centre={centre} onSaved={reload} />
    </>
  );
}

// ─── Activities ────────────────────────────────────────────────────────────────────────

function Activities({
  centre,
  period,
  categories,
  items,
  error,
  onChanged,
}: {
  centre: CentreDetail;
  period: string;
  categories: CentreCategory[];
  items: CentreActivity[] | undefined;
  error: unknown;
  onChanged: () => void;
}) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const deletion = useRequest();

  async function remove(a: CentreActivity) {
    if (!window.confirm(t("centres.deleteConfirm", { title: a.title }))) return;
    if (await deletion.run(() => api.delete(`/api/v1/centres/activities/${a.id}`))) onChanged();
  }

  return (
    <section className="card" aria-labelledby="centre-activities-heading">
      <h2 id="centre-activities-heading">{t("centres.activities", { count: items?.length ?? 0 })}</h2>
      <Notice>{notice}</Notice>
      {centre.canWrite && !adding && (
        <AddButton
          label={t("centres.addActivity")}
          onClick={() => {
            setAdding(true);
            setNotice(null);
          }}
        />
      )}
      {centre.canWrite && !adding && <ImportLink unitId={centre.id} kind="centre-activities" />}
      {adding && (
        <ActivityForm
          centreId={centre.id}
          categories={categories}
          onDone={(saved) => {
            setAdding(false);
            if (saved) {
              setNotice(t("centres.added"));
              onChanged();
            }
          }}
        />
      )}
      <ErrorBox error={error ?? deletion.error} />
      {items && items.length === 0 && <p className="muted">{t("centres.activitiesEmpty")}</p>}
      {items && items.length > 0 && (
        <ListExportLinks path={`/api/v1/centres/${centre.id}/activities`} params={{ period }} />
      )}
      <ul className="record-list">
        {items?.map((a) =>
          editing === a.id ? (
            <li key={a.id}>
              <ActivityForm
                centreId={centre.id}
                categories={categories}
                activity={a}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) onChanged();
                }}
              />
            </li>
          ) : (
            <li key={a.id}>
              <strong>{a.title}</strong>
              <br />
              <span className="muted">{a.categoryLabel}</span>
              <br />
              {t("centres.activity.summary", {
                date:
                  a.startDate === a.endDate
                    ? formatDateShort(a.startDate)
                    : `${formatDateShort(a.startDate)} – ${formatDateShort(a.endDate)}`,
                sessions: a.sessions,
                participants: formatInteger(a.participants),
                female: formatInteger(a.female),
              })}
              {a.partner && (
                <>
                  <br />
                  {a.partner}
                  {a.place && ` · ${a.place}`}
                </>
              )}
              {centre.canWrite && (
                <div className="actions">
                  <button type="button" onClick={() => setEditing(a.id)}>
                    {t("common.edit")}
                  </button>
                  <button type="button" onClick={() => remove(a)}>
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

function ActivityForm({
  centreId,
  categories,
  activity,
  onDone,
}: {
  centreId: number;
  categories: CentreCategory[];
  activity?: CentreActivity;
  onDone: (saved: boolean) => void;
}) {
  const t = useT();
  const today = todayInVietnam();
  const [f, set] = useFields({
    kind: activity?.kind ?? "talk",
    title: activity?.title ?? "",
    category: activity?.category ?? "",
    startDate: activity?.startDate ?? today,
    endDate: activity?.endDate ?? today,
    sessions: String(activity?.sessions ?? 1),
    participants: activity ? String(activity.participants) : "",
    female: activity ? String(activity.female) : "",
    minority: activity?.minority === null || activity === undefined ? "" : String(activity.minority),
    partner: activity?.partner ?? "",
    place: activity?.place ?? "",
  });
  const { error, fieldErrors, busy, submit } = useRequest();
  const save = () => {
    const body = {
      kind: f.kind,
      title: f.title,
      category: f.category,
      startDate: f.startDate,
      endDate: f.endDate,
      sessions: num(f.sessions),
      participants: num(f.participants),
      female: num(f.female),
      minority: num(f.minority),
      partner: f.partner || null,
      place: f.place || null,
    };
    return activity
      ? api.put(`/api/v1/centres/activities/${activity.id}`, body)
      : api.post(`/api/v1/centres/${centreId}/activities`, body);
  };

  return (
    <form
      className="card"
      onSubmit={submit(save, () => onDone(true))}
      noValidate
      aria-label={activity ? t("centres.editActivity") : t("centres.addActivity")}
    >
      <h3>{activity ? t("centres.editActivity") : t("centres.addActivity")}</h3>
      <ErrorBox error={error} />
      <SelectField
        label={t("centres.activity.kind")}
        value={f.kind}
        onChange={set("kind")}
        error={fieldErrors.kind}
      >
        <option value="talk">{t("centres.activity.kind.talk")}</option>
        <option value="class">{t("centres.activity.kind.class")}</option>
      </SelectField>
      <TextField
        label={t("centres.activity.title")}
        value={f.title}
        onChange={set("title")}
        error={fieldErrors.title}
        required
      />
      <SelectField
        label={t("centres.activity.category")}
        value={f.category}
        onChange={set("category")}
        error={fieldErrors.category}
      >
        <option value="">—</option>
        {categories.map((c) => (
          <option key={c.code} value={c.code}>
            {c.position}. {c.label}
          </option>
        ))}
      </SelectField>
      <div className="field-grid">
        <TextField
          label={t("centres.activity.startDate")}
          type="date"
          value={f.startDate}
          onChange={set("startDate")}
          error={fieldErrors.startDate}
        />
        <TextField
          label={t("centres.activity.endDate")}
          type="date"
          value={f.endDate}
          onChange={set("endDate")}
          error={fieldErrors.endDate}
        />
        <TextField
          label={t("centres.activity.sessions")}
          inputMode="numeric"
          value={f.sessions}
          onChange={set("sessions")}
          error={fieldErrors.sessions}
        />
        <TextField
          label={t("centres.activity.participants")}
          inputMode="numeric"
          value={f.participants}
          onChange={set("participants")}
          error={fieldErrors.participants}
        />
        <TextField
          label={t("centres.activity.female")}
          inputMode="numeric"
          value={f.female}
          onChange={set("female")}
          error={fieldErrors.female}
        />
        <TextField
          label={t("centres.activity.minority")}
          inputMode="numeric"
          value={f.minority}
          onChange={set("minority")}
          error={fieldErrors.minority}
        />
      </div>
      <TextField
        label={t("centres.activity.partner")}
        hint={t("centres.activity.partnerHint")}
        value={f.partner}
        onChange={set("partner")}
        error={fieldErrors.partner}
      />
      <TextField
        label={t("centres.activity.place")}
        value={f.place}
        onChange={set("place")}
        error={fieldErrors.place}
      />
      <FormActions busy={busy} onCancel={() => onDone(false)} />
    </form>
  );
}

// ─── Year: plan, funding, rating ───────────────────────────────────────────────────────

function YearCard({ centre, year, onSaved }: { centre: CentreDetail; year: number; onSaved: () => void }) {
  const t = useT();
  const current = centre.years.find((y) => y.year === year);
  const [f, set, setF] = useFields({
    plan: current?.plan ?? "",
    state: current ? String(current.fundingStateBudget) : "0",
    social: current ? String(current.fundingSocialisation) : "0",
    learners: current ? String(current.fundingLearners) : "0",
  });
  const [shownYear, setShownYear] = useState(year);
  if (shownYear !== year) {
    setShownYear(year);
    setF({
      plan: current?.plan ?? "",
      state: current ? String(current.fundingStateBudget) : "0",
      social: current ? String(current.fundingSocialisation) : "0",
      learners: current ? String(current.fundingLearners) : "0",
    });
  }
  const [notice, setNotice] = useState<string | null>(null);
  const { error, fieldErrors, run } = useRequest();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const save = () =>
      api.put(`/api/v1/centres/${centre.id}/years/${year}`, {
        plan: f.plan || null,
        fundingStateBudget: num(f.state),
        fundingSocialisation: num(f.social),
        fundingLearners: num(f.learners),
      });
    if (await run(save)) {
      setNotice(t("centres.saved"));
      onSaved();
    }
  }

  const total =
    (current?.fundingStateBudget ?? 0) +
    (current?.fundingSocialisation ?? 0) +
    (current?.fundingLearners ?? 0);
  return (
    <section className="card" aria-labelledby="centre-year-heading">
      <h2 id="centre-year-heading">{t("centres.funding", { year })}</h2>
      {centre.canWrite ? (
        <form onSubmit={submit} noValidate>
          <ErrorBox error={error} />
          <Notice>{notice}</Notice>
          <div className="field-grid">
            <TextField
              label={t("centres.funding.stateBudget")}
              inputMode="numeric"
              value={f.state}
              onChange={set("state")}
              error={fieldErrors.fundingStateBudget}
            />
            <TextField
              label={t("centres.funding.socialisation")}
              inputMode="numeric"
              value={f.social}
              onChange={set("social")}
              error={fieldErrors.fundingSocialisation}
            />
            <TextField
              label={t("centres.funding.learners")}
              inputMode="numeric"
              value={f.learners}
              onChange={set("learners")}
              error={fieldErrors.fundingLearners}
            />
          </div>
          <TextAreaField label={t("centres.plan")} rows={4} value={f.plan} onChange={set("plan")} />
          <button type="submit">{t("common.save")}</button>
        </form>
      ) : (
        current?.plan && <p className="pre-text">{current.plan}</p>
      )}
      <p>
        {t("centres.funding.total")}: <strong data-testid="centre-funding-total">{formatMoney(total)}</strong>
      </p>
      <Rating centre={centre} year={year} onSaved={onSaved} />
    </section>
  );
}

function Rating({ centre, year, onSaved }: { centre: CentreDetail; year: number; onSaved: () => void }) {
  const t = useT();
  const current = centre.years.find((y) => y.year === year);
  const [rating, setRating] = useState<string>(current?.rating ?? "");
  const [note, setNote] = useState(current?.ratingNote ?? "");
  const { error, fieldErrors, submit } = useRequest();
  const rate = () =>
    api.put(`/api/v1/centres/${centre.id}/years/${year}/rating`, {
      rating: rating || null,
      note: note || null,
    });
  return (
    <div>
      <h3>{t("centres.rating", { year })}</h3>
      <p data-testid="centre-rating">
        {current?.rating ? t(`centres.rating.${current.rating}`) : t("centres.ratingNone")}
        {current?.ratingNote && ` — ${current.ratingNote}`}
      </p>
      {centre.canRate ? (
        <form onSubmit={submit(rate, onSaved)} noValidate>
          <ErrorBox error={error} />
          <SelectField
            label={t("centres.rate")}
            value={rating}
            onChange={(e) => setRating(e.target.value)}
            error={fieldErrors.rating}
          >
            <option value="">—</option>
            {RATINGS.map((r) => (
              <option key={r} value={r}>
                {t(`centres.rating.${r}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t("centres.ratingNote")}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={fieldErrors.note}
          />
          <button type="submit">{t("centres.rate")}</button>
        </form>
      ) : (
        <p className="muted">{t("centres.ratingOnlyAbove")}</p>
      )}
    </div>
  );
}

// ─── Board and premises ────────────────────────────────────────────────────────────────

type Member = { fullName: string; role: (typeof BOARD_ROLES)[number]; position: string };

function Board({ centre, onSaved }: { centre: CentreDetail; onSaved: () => void }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [board, setBoard] = useState<Member[]>(
    centre.board.map((m) => ({ ...m, position: m.position ?? "" })),
  );
  const [premises, setPremises] = useState(centre.premises ?? "");
  const { error, submit } = useRequest();
  const save = () =>
    api.put(`/api/v1/centres/${centre.id}/profile`, {
      board: board.map((m) => ({ ...m, position: m.position || null })),
      premises: premises || null,
    });
  const update = (i: number, patch: Partial<Member>) =>
    setBoard((b) => b.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  return (
    <section className="card" aria-labelledby="centre-board-heading">
      <h2 id="centre-board-heading">{t("centres.board")}</h2>
      {!editing ? (
        <>
          {centre.board.length === 0 ? (
            <p className="muted">{t("centres.boardEmpty")}</p>
          ) : (
            <ul>
              {centre.board.map((m) => (
                <li key={`${m.role}-${m.fullName}`}>
                  <strong>{t(`centres.boardRole.${m.role}`)}</strong>: {m.fullName}
                  {m.position && ` — ${m.position}`}
                </li>
              ))}
            </ul>
          )}
          <h3>{t("centres.premises")}</h3>
          <p className="pre-text">{centre.premises ?? "—"}</p>
          {centre.canWrite && (
            <button type="button" onClick={() => setEditing(true)}>
              {t("common.edit")}
            </button>
          )}
        </>
      ) : (
        <form
          onSubmit={submit(save, () => {
            setEditing(false);
            onSaved();
          })}
          noValidate
        >
          <ErrorBox error={error} />
          {board.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows being typed have no other identity.
            <div className="person-fields" key={i}>
              <TextField
                label={t("centres.fullName")}
                value={m.fullName}
                onChange={(e) => update(i, { fullName: e.target.value })}
              />
              <SelectField
                label={t("centres.role")}
                value={m.role}
                onChange={(e) => update(i, { role: e.target.value as Member["role"] })}
              >
                {BOARD_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`centres.boardRole.${r}`)}
                  </option>
                ))}
              </SelectField>
              <TextField
                label={t("centres.position")}
                value={m.position}
                onChange={(e) => update(i, { position: e.target.value })}
              />
              <button type="button" onClick={() => setBoard((b) => b.filter((_, j) => j !== i))}>
                {t("centres.removeMember")}
              </button>
            </div>
          ))}
          <p>
            <button
              type="button"
              onClick={() =>
                setBoard((b) => [
                  ...b,
                  { fullName: "", role: b.length === 0 ? "director" : "deputy", position: "" },
                ])
              }
            >
              {t("centres.addMember")}
            </button>
          </p>
          <TextAreaField
            label={t("centres.premises")}
            rows={3}
            value={premises}
            onChange={(e) => setPremises(e.target.value)}
          />
          <FormActions onCancel={() => setEditing(false)} />
        </form>
      )}
    </section>
  );
}
