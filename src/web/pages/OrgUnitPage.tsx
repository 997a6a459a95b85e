import { type FormEvent, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { formatDateShort } from "../../domain/format.ts";
import { OFFICIAL_KINDS, type OrgUnitKind } from "../../domain/org-units.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { LineageLink, OrgUnitDetail, OrgUnitListItem, Page } from "../types.ts";
import { HistoricalBadge, OrgUnitRow, OrgUnitSearch } from "./OrgUnitsPage.tsx";

const CHILD_PAGE = 50;

/** One org unit: where it sits, where it came from or went, what is under it, and adding to it. */
export function OrgUnitPage() {
  const t = useT();
  const id = Number(useParams().id);
  const unit = useLoad(() => api.get<OrgUnitDetail>(`/api/v1/org-units/${id}`), [id]);
  const [childrenVersion, setChildrenVersion] = useState(0);

  if (unit.error) {
    const problem = unit.error instanceof ApiError ? unit.error.problem : null;
    return (
      <div className="page">
        <h1>{problem?.title ?? t("error.title")}</h1>
        <ErrorBox error={unit.error} />
        <p>
          <Link to="/org-units">{t("orgUnits.yourUnits")}</Link>
        </p>
      </div>
    );
  }
  if (!unit.data || unit.data.id !== id) return <Loading />;
  const u = unit.data;
  return (
    <div className="page">
      <Breadcrumb unit={u} />
      <h1>
        {u.name} {!u.current && <HistoricalBadge validTo={u.validTo} />}
      </h1>
      <p className="muted">
        {[t(`kind.${u.kind}`), u.code && `${t("orgUnits.code")} ${u.code}`].filter(Boolean).join(" · ")}
        {u.validTo && ` · ${t("orgUnits.validUntil", { date: formatDateShort(u.validTo) })}`}
      </p>
      {u.current && <UnitTasks unit={u} />}
      {u.canWrite && !OFFICIAL_KINDS.has(u.kind) && <RenameForm unit={u} onRenamed={unit.reload} />}
      <OrgUnitSearch />
      <Lineage predecessors={u.predecessors} successors={u.successors} />
      <Children parentId={u.id} version={childrenVersion} />
      {u.creatableChildKinds.length > 0 && u.kind === "commune" && u.current && (
        <p>
          <ImportLink unitId={u.id} kind="units" label="import.link.units" />
        </p>
      )}
      {u.creatableChildKinds.length > 0 && (
        <AddChildForm
          parentId={u.id}
          kinds={u.creatableChildKinds}
          onAdded={() => setChildrenVersion((v) => v + 1)}
        />
      )}
    </div>
  );
}

const CITIZEN_UNIT_KINDS = ["commune", "agency", "school", "enterprise", "commune_body"];

/** The Association tile: the unit's own page, or the body (commune/province) its chapter belongs to. */
function associationTask(unit: OrgUnitDetail, label: string): { to: string; label: string }[] {
  if (["nation", "province", "cluster", "commune"].includes(unit.kind)) {
    return [{ to: `/org-units/${unit.id}/association`, label }];
  }
  const parent = unit.ancestors.at(-1);
  if (parent && ["commune", "province"].includes(parent.kind)) {
    return [{ to: `/org-units/${parent.id}/association`, label }];
  }
  return [];
}

type Task = { to: string; label: string };

/**
 * What can be done for this unit, as large links that are easy to tap on a phone, in the three
 * groups an officer thinks in: the learning models, the Association's work, community education.
 */
function UnitTasks({ unit }: { unit: OrgUnitDetail }) {
  const t = useT();
  const { can } = useSession();
  const base = `/org-units/${unit.id}`;
  const upToCommune = ["nation", "province", "cluster", "commune"].includes(unit.kind);
  const groups: { title: string; tasks: Task[] }[] = [
    {
      title: t("reports.link"),
      tasks: unit.kind === "village" ? [] : [{ to: `${base}/reports`, label: t("reports.link") }],
    },
    {
      title: t("orgUnits.tasks.models"),
      tasks: [
        { to: `${base}/dashboard`, label: t("dashboard.link") },
        ...(unit.kind === "village" || unit.kind === "commune"
          ? [{ to: `${base}/households`, label: t("registry.link.households") }]
          : []),
        ...(unit.kind === "commune" ? [{ to: `${base}/clans`, label: t("registry.link.clans") }] : []),
        ...(unit.kind !== "nation" ? [{ to: `${base}/evaluations`, label: t("evaluations.link") }] : []),
        ...(CITIZEN_UNIT_KINDS.includes(unit.kind)
          ? [{ to: `${base}/citizens`, label: t("citizens.queue.link") }]
          : []),
      ],
    },
    {
      title: t("orgUnits.tasks.association"),
      tasks: [
        // Every unit down to the commune has its roll-up; a village, school, agency or
        // enterprise goes to the chapters of the Association body above it.
        ...associationTask(unit, t("association.link")),
        { to: `${base}/funds`, label: t("fund.link") },
        { to: `${base}/events`, label: t("events.link") },
        { to: `${base}/agreements`, label: t("agreements.link") },
        { to: `${base}/inspections`, label: t("inspections.link") },
        ...(unit.kind !== "nation" ? [{ to: `${base}/commendations`, label: t("commendations.link") }] : []),
      ],
    },
    {
      title: t("orgUnits.tasks.education"),
      tasks: [
        ...(unit.kind === "commune" ? [{ to: `${base}/centre`, label: t("centres.link") }] : []),
        ...(["nation", "province", "cluster"].includes(unit.kind)
          ? [{ to: `${base}/centres/summary`, label: t("centres.summaryLink") }]
          : []),
        // The form at a commune, the summary above.
        ...(upToCommune ? [{ to: `${base}/literacy`, label: t("literacy.link") }] : []),
      ],
    },
    {
      // Lists from Excel (each kind then asks for its own write), figures out to DHIS2 and targets in.
      title: t("import.tasks"),
      tasks: [
        ...(can("data.import") ? [{ to: `${base}/import`, label: t("import.index.link") }] : []),
        ...(upToCommune && can("stats.read") ? [{ to: `${base}/dhis2`, label: t("dhis2.link") }] : []),
      ],
    },
  ];
  return (
    <nav className="unit-tasks" aria-label={t("orgUnits.tasks")}>
      {groups
        .filter((g) => g.tasks.length > 0)
        .map((g) => (
          <section key={g.title}>
            <h2>{g.title}</h2>
            <ul>
              {g.tasks.map((task) => (
                <li key={task.to}>
                  <Link className="unit-task" to={task.to}>
                    {task.label}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </nav>
  );
}

function Breadcrumb({ unit }: { unit: OrgUnitDetail }) {
  const t = useT();
  const { user } = useSession();
  // Ancestors above the user's own units are shown, but only those inside the scope are links.
  const scopeIds = new Set(user?.scopes.map((s) => s.id));
  let inScope = false;
  if (unit.ancestors.length === 0) return null;
  return (
    <nav aria-label={t("orgUnits.breadcrumb")} className="breadcrumb">
      <ol>
        {unit.ancestors.map((a) => {
          inScope ||= scopeIds.has(a.id);
          return <li key={a.id}>{inScope ? <Link to={`/org-units/${a.id}`}>{a.name}</Link> : a.name}</li>;
        })}
      </ol>
    </nav>
  );
}

function Lineage({ predecessors, successors }: { predecessors: LineageLink[]; successors: LineageLink[] }) {
  const t = useT();
  if (predecessors.length === 0 && successors.length === 0) return null;
  const list = (links: LineageLink[]) => (
    <ul className="rows">
      {links.map((l) => (
        <li key={l.id}>
          <span className="row-main">
            <Link to={`/org-units/${l.id}`}>{l.name}</Link>{" "}
            <span className="muted">
              {l.share === "full" ? t("orgUnits.shareFull") : t("orgUnits.sharePartial")}
            </span>
          </span>
          <span className="muted">
            {[l.code, formatDateShort(l.effectiveDate)].filter(Boolean).join(" · ")}
          </span>
        </li>
      ))}
    </ul>
  );
  return (
    <section className="card" aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">{t("orgUnits.lineage")}</h2>
      {predecessors.length > 0 && (
        <>
          <h3>{t("orgUnits.formedFrom")}</h3>
          {list(predecessors)}
        </>
      )}
      {successors.length > 0 && (
        <>
          <h3>{t("orgUnits.mergedInto")}</h3>
          {list(successors)}
        </>
      )}
    </section>
  );
}

function Children({ parentId, version }: { parentId: number; version: number }) {
  const t = useT();
  const [showHistorical, setShowHistorical] = useState(false);
  const [items, setItems] = useState<OrgUnitListItem[]>([]);
  const [pageCount, setPageCount] = useState(1);
  const status = showHistorical ? "all" : "current";
  const loaded = useLoad(async () => {
    // Reload every page shown so far, so an added unit appears in its sorted place.
    const pages = await Promise.all(
      Array.from({ length: pageCount }, (_, i) =>
        api.get<Page<OrgUnitListItem>>(
          `/api/v1/org-units${query({ parentId, status, page: i + 1, pageSize: CHILD_PAGE })}`,
        ),
      ),
    );
    return { items: pages.flatMap((p) => p.items), total: pages[0]?.total ?? 0 };
  }, [parentId, status, pageCount, version]);
  useEffect(() => {
    if (loaded.data) setItems(loaded.data.items);
  }, [loaded.data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a different unit starts from page 1.
  useEffect(() => setPageCount(1), [parentId]);

  const total = loaded.data?.total ?? 0;
  return (
    <section className="card">
      <h2>{t("orgUnits.children")}</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={showHistorical}
          onChange={(e) => setShowHistorical(e.target.checked)}
        />
        {t("orgUnits.showHistorical")}
      </label>
      <ErrorBox error={loaded.error} />
      {loaded.data && total === 0 && <p className="muted">{t("orgUnits.noChildren")}</p>}
      {total > 0 && <p className="muted">{t("orgUnits.childrenCount", { count: total })}</p>}
      <ul className="rows">
        {items.map((child) => (
          <OrgUnitRow key={child.id} unit={child} />
        ))}
      </ul>
      {items.length < total && (
        <button type="button" disabled={loaded.loading} onClick={() => setPageCount((n) => n + 1)}>
          {t("orgUnits.more")}
        </button>
      )}
    </section>
  );
}

function AddChildForm({
  parentId,
  kinds,
  onAdded,
}: {
  parentId: number;
  kinds: OrgUnitKind[];
  onAdded: () => void;
}) {
  const t = useT();
  const [form, setForm] = useState({ kind: kinds[0] ?? "village", name: "", code: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    setError(null);
    if (!form.name.trim()) {
      setErrors({ name: t("error.required") });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await api.post<{ name: string }>("/api/v1/org-units", {
        parentId,
        kind: form.kind,
        name: form.name,
        ...(form.code.trim() ? { code: form.code.trim() } : {}),
      });
      setDone(t("orgUnits.added", { name: created.name }));
      setForm((f) => ({ ...f, name: "", code: "" }));
      onAdded();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setErrors(e.fieldErrors);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate>
      <h2>{t("orgUnits.add")}</h2>
      <Notice>{done}</Notice>
      <ErrorBox error={error} />
      <SelectField
        label={t("orgUnits.addKind")}
        value={form.kind}
        error={errors.kind}
        onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as OrgUnitKind }))}
      >
        {kinds.map((kind) => (
          <option key={kind} value={kind}>
            {t(`kind.${kind}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("orgUnits.addName")}
        value={form.name}
        maxLength={200}
        error={errors.name}
        onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
      />
      <TextField
        label={t("orgUnits.addCode")}
        value={form.code}
        maxLength={20}
        error={errors.code}
        autoCapitalize="none"
        onChange={(e) => setForm((f) => ({ ...f, code: e.target.value }))}
      />
      <button type="submit" className="primary" disabled={busy}>
        {t("orgUnits.addSubmit")}
      </button>
    </form>
  );
}

function RenameForm({ unit, onRenamed }: { unit: OrgUnitDetail; onRenamed: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(unit.name);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api.patch(`/api/v1/org-units/${unit.id}`, { name });
      setDone(t("orgUnits.renamed"));
      setOpen(false);
      onRenamed();
    } catch (e) {
      setError(e);
    }
  }

  if (!open)
    return (
      <div>
        <Notice>{done}</Notice>
        <button type="button" onClick={() => setOpen(true)}>
          {t("orgUnits.rename")}
        </button>
      </div>
    );
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate>
      <ErrorBox error={error} />
      <TextField
        label={t("orgUnits.newName")}
        value={name}
        maxLength={200}
        error={error instanceof ApiError ? error.fieldErrors.name : undefined}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="primary">
        {t("orgUnits.renameSubmit")}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t("orgUnits.cancel")}
      </button>
    </form>
  );
}
