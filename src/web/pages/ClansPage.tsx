import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice, Pager } from "../components/feedback.tsx";
import { TextField } from "../components/fields.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { useDebounced, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { Page } from "../types.ts";
import {
  CheckField,
  type ClanDetail,
  type ClanSummary,
  HouseholdBadges,
  type HouseholdSummary,
  pathErrors,
  UnitLoadError,
  useRegistryUnit,
} from "./HouseholdsPage.tsx";

const PAGE_SIZE = 25;

/** "/org-units/:id/clans": the clans (dòng họ) of a commune and the households in each. */
export function ClansPage() {
  const t = useT();
  const { can } = useSession();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get("c")) || null;
  const unit = useRegistryUnit(id);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  if (unit.error) return <UnitLoadError error={unit.error} />;
  if (!unit.data || unit.data.id !== id) return <Loading />;
  const u = unit.data;
  const back = (
    <p>
      <Link to={`/org-units/${u.id}`}>{t("registry.back", { name: u.name })}</Link>
    </p>
  );
  if (u.kind !== "commune") {
    return (
      <div className="page">
        {back}
        <h1>{t("clans.title")}</h1>
        <p>{t("registry.onlyCommune")}</p>
      </div>
    );
  }
  const writable = can("registry.write") && u.current;
  const changed = (message: string) => {
    setNotice(message);
    setVersion((v) => v + 1);
  };

  return (
    <div className="page">
      {back}
      <h1>{t("clans.title")}</h1>
      <p className="muted">{u.name}</p>
      <Notice>{notice}</Notice>
      {openId !== null && (
        <ClanView
          id={openId}
          communeId={u.id}
          version={version}
          onClose={() => setParams({})}
          onChanged={changed}
        />
      )}
      <div style={{ display: openId !== null ? "none" : "contents" }}>
        {writable &&
          (adding ? (
            <ClanForm
              communeId={u.id}
              onCancel={() => setAdding(false)}
              onSaved={(clan) => {
                setAdding(false);
                changed(t("clans.added", { name: clan.name }));
              }}
            />
          ) : (
            <div className="actions">
              <button
                type="button"
                className="primary"
                onClick={() => {
                  setAdding(true);
                  setNotice(null);
                }}
              >
                {t("clans.add")}
              </button>
              <ImportLink unitId={u.id} kind="clans" />
            </div>
          ))}
        <ClanList communeId={u.id} version={version} />
      </div>
    </div>
  );
}

function ClanList({ communeId, version }: { communeId: number; version: number }) {
  const t = useT();
  const [text, setText] = useState("");
  const [page, setPage] = useState(1);
  const [showInactive, setShowInactive] = useState(false);
  const q = useDebounced(text.trim(), 300);
  const clans = useLoad(
    () =>
      api.get<Page<ClanSummary>>(
        `/api/v1/clans${query({ communeId, q, page, pageSize: PAGE_SIZE, active: showInactive ? "all" : "true" })}`,
      ),
    [communeId, q, page, showInactive, version],
  );
  return (
    <>
      <TextField
        label={t("clans.search")}
        type="search"
        value={text}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setPage(1);
        }}
      />
      <CheckField label={t("clans.showInactive")} checked={showInactive} onChange={setShowInactive} />
      <ErrorBox error={clans.error} />
      {!clans.data && !clans.error && <Loading />}
      {clans.data && (
        <section className="card" aria-label={t("clans.title")}>
          <p className="muted" style={{ margin: 0 }}>
            {t("clans.count", { count: clans.data.total })}
          </p>
          {clans.data.total > 0 && (
            <ListExportLinks
              path="/api/v1/clans"
              params={{ communeId, q, active: showInactive ? "all" : "true" }}
            />
          )}
          {clans.data.items.length === 0 && <p className="muted">{t("clans.none")}</p>}
          <ul className="rows">
            {clans.data.items.map((c) => (
              <li key={c.id}>
                <span className="row-main">
                  <Link to={{ search: `?c=${c.id}` }}>{c.name}</Link>
                  {!c.active && (
                    <span className="badge" style={{ marginLeft: "0.25rem" }}>
                      {t("clans.inactive")}
                    </span>
                  )}
                </span>
                <span className="muted">
                  {[t("clans.households", { count: c.householdCount }), c.note].filter(Boolean).join(" · ")}
                </span>
              </li>
            ))}
          </ul>
          <Pager page={page} pageSize={PAGE_SIZE} total={clans.data.total} onPage={setPage} />
        </section>
      )}
    </>
  );
}

function ClanForm({
  communeId,
  onSaved,
  onCancel,
}: {
  communeId: number;
  onSaved: (clan: ClanDetail) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [form, setForm] = useState({ name: "", note: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!form.name.trim()) {
      setErrors({ name: t("error.required") });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onSaved(
        await api.post<ClanDetail>("/api/v1/clans", {
          communeId,
          name: form.name,
          ...(form.note.trim() ? { note: form.note } : {}),
        }),
      );
    } catch (e) {
      setError(e);
      setErrors(pathErrors(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-labelledby="clan-form-title">
      <h2 id="clan-form-title">{t("clans.add")}</h2>
      <ErrorBox error={error} />
      <TextField
        label={t("clans.name")}
        hint={t("clans.nameHint")}
        value={form.name}
        maxLength={120}
        autoComplete="off"
        error={errors.name}
        onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
      />
      <TextField
        label={t("clans.note")}
        hint={t("clans.noteHint")}
        value={form.note}
        maxLength={500}
        error={errors.note}
        onChange={(e) => setForm((f) => ({ ...f, note: e.target.value }))}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("clans.submit")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("registry.cancel")}
        </button>
      </div>
    </form>
  );
}

function ClanView({
  id,
  communeId,
  version,
  onClose,
  onChanged,
}: {
  id: number;
  communeId: number;
  version: number;
  onClose: () => void;
  onChanged: (message: string) => void;
}) {
  const t = useT();
  const loaded = useLoad(() => api.get<ClanDetail>(`/api/v1/clans/${id}`), [id, version]);
  const [data, setData] = useState<ClanDetail | undefined>(undefined);
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (loaded.data) setData(loaded.data);
  }, [loaded.data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves when another clan opens.
  useEffect(() => heading.current?.focus(), [id]);

  const clan = data?.id === id ? data : undefined;
  const accept = (next: ClanDetail, message: string) => {
    setData(next);
    onChanged(message);
  };

  async function run(work: () => Promise<ClanDetail>, message: (c: ClanDetail) => string) {
    setError(null);
    try {
      const next = await work();
      accept(next, message(next));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-labelledby="clan-heading">
      <button type="button" className="link-button" onClick={onClose} style={{ alignSelf: "flex-start" }}>
        {t("clans.backToList")}
      </button>
      <ErrorBox error={loaded.error} />
      {!clan && !loaded.error && <Loading />}
      {clan && (
        <>
          <h2 id="clan-heading" ref={heading} tabIndex={-1}>
            {clan.name} {!clan.active && <span className="badge">{t("clans.inactive")}</span>}
          </h2>
          {clan.note && <p className="muted">{clan.note}</p>}
          <ErrorBox error={error} />
          {clan.canWrite && !renaming && (
            <div className="actions">
              <button type="button" onClick={() => setRenaming(true)}>
                {t("clans.rename")}
              </button>
              <button
                type="button"
                onClick={() =>
                  run(
                    () => api.patch<ClanDetail>(`/api/v1/clans/${id}`, { active: !clan.active }),
                    (c) => t(c.active ? "clans.reopened" : "clans.retired", { name: c.name }),
                  )
                }
              >
                {clan.active ? t("clans.retire") : t("clans.reopen")}
              </button>
            </div>
          )}
          {renaming && (
            <RenameClan
              clan={clan}
              onCancel={() => setRenaming(false)}
              onSaved={(next) => {
                setRenaming(false);
                accept(next, t("clans.renamed"));
              }}
            />
          )}
          <h3>{t("clans.members")}</h3>
          {clan.households.length === 0 && <p className="muted">{t("clans.noMembers")}</p>}
          <ul className="rows">
            {clan.households.map((h) => (
              <li key={h.id}>
                <span className="row-main">
                  <Link to={`/org-units/${h.village.id}/households?h=${h.id}`}>{h.headName}</Link>
                </span>
                <span className="muted">{h.village.name}</span>
                {clan.canWrite && (
                  <button
                    type="button"
                    aria-label={t("clans.removeHouseholdLabel", { name: h.headName })}
                    onClick={() =>
                      run(
                        () => api.delete<ClanDetail>(`/api/v1/clans/${id}/households/${h.id}`),
                        () => t("clans.removed", { name: h.headName }),
                      )
                    }
                  >
                    {t("clans.removeHousehold")}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {clan.canWrite && clan.active && (
            <AddHouseholds
              clan={clan}
              communeId={communeId}
              onAdded={(next, name) => accept(next, t("clans.householdAdded", { name, clan: next.name }))}
            />
          )}
        </>
      )}
    </section>
  );
}

function RenameClan({
  clan,
  onSaved,
  onCancel,
}: {
  clan: ClanDetail;
  onSaved: (clan: ClanDetail) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [name, setName] = useState(clan.name);
  const [note, setNote] = useState(clan.note ?? "");
  const [error, setError] = useState<unknown>(null);
  const errors = pathErrors(error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      onSaved(
        await api.patch<ClanDetail>(`/api/v1/clans/${clan.id}`, { name, note: note.trim() ? note : null }),
      );
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-label={t("clans.rename")}>
      <ErrorBox error={error} />
      <TextField
        label={t("clans.name")}
        value={name}
        maxLength={120}
        error={errors.name}
        onChange={(e) => setName(e.target.value)}
      />
      <TextField
        label={t("clans.note")}
        value={note}
        maxLength={500}
        error={errors.note}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="primary">
          {t("registry.save")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("registry.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Search the commune's households (any village) and add them to the clan one by one. */
function AddHouseholds({
  clan,
  communeId,
  onAdded,
}: {
  clan: ClanDetail;
  communeId: number;
  onAdded: (clan: ClanDetail, name: string) => void;
}) {
  const t = useT();
  const [text, setText] = useState("");
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const q = useDebounced(text.trim(), 300);
  const results = useLoad(
    () =>
      q
        ? api.get<Page<HouseholdSummary>>(`/api/v1/households${query({ communeId, q, page, pageSize: 10 })}`)
        : Promise.resolve(undefined),
    [communeId, q, page],
  );
  const members = new Set(clan.households.map((h) => h.id));

  async function add(h: HouseholdSummary) {
    setError(null);
    setBusy(true);
    try {
      const next = await api.post<ClanDetail>(`/api/v1/clans/${clan.id}/households`, {
        householdIds: [h.id],
      });
      onAdded(next, h.headName);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const errors = pathErrors(error);
  return (
    <section
      aria-labelledby="add-households-heading"
      style={{ display: "flex", flexDirection: "column", gap: "0.5rem" }}
    >
      <h3 id="add-households-heading">{t("clans.addHouseholds")}</h3>
      <TextField
        label={t("clans.findHousehold")}
        hint={t("clans.findHouseholdHint")}
        type="search"
        value={text}
        autoComplete="off"
        error={errors.householdIds}
        onChange={(e) => {
          setText(e.target.value);
          setPage(1);
        }}
      />
      <ErrorBox error={results.error ?? error} />
      {q && results.data && (
        <>
          {results.data.items.length === 0 && <p className="muted">{t("clans.noHouseholdResults", { q })}</p>}
          <ul className="rows">
            {results.data.items.map((h) => (
              <li key={h.id}>
                <span className="row-main">
                  <strong>{h.headName}</strong>
                  <HouseholdBadges h={h} />
                </span>
                <span className="muted">
                  {[h.village.name, t("households.members", { count: h.memberCount })].join(" · ")}
                </span>
                {members.has(h.id) ? (
                  <span className="badge badge-ok" style={{ alignSelf: "flex-start" }}>
                    {t("clans.inClan")}
                  </span>
                ) : (
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t("clans.addHouseholdLabel", { name: h.headName })}
                    onClick={() => add(h)}
                  >
                    {t("clans.addHousehold")}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <Pager page={page} pageSize={10} total={results.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
