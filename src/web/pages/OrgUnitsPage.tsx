import { useState } from "react";
import { Link, Navigate } from "react-router";
import { formatDateShort } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Pager } from "../components/feedback.tsx";
import { TextField } from "../components/fields.tsx";
import { useDebounced, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { OrgUnitListItem, OrgUnitSummary, Page } from "../types.ts";

/**
 * "/org-units": the units a user is responsible for. With a single one (the usual case: a
 * commune officer) the user goes straight to it.
 */
export function OrgUnitsPage() {
  const t = useT();
  const roots = useLoad(() => api.get<OrgUnitSummary[]>("/api/v1/org-units/roots"), []);
  if (roots.error) return <ErrorBox error={roots.error} />;
  if (!roots.data) return <Loading />;
  const [only] = roots.data;
  if (roots.data.length === 1 && only) return <Navigate to={`/org-units/${only.id}`} replace />;
  return (
    <div className="page">
      <h1>{t("orgUnits.yourUnits")}</h1>
      <OrgUnitSearch />
      <ul className="rows">
        {roots.data.map((unit) => (
          <li key={unit.id}>
            <Link to={`/org-units/${unit.id}`}>{unit.name}</Link>
            <span className="muted">{t(`kind.${unit.kind}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Search the user's scope by name (with or without diacritics) or code, across history. */
export function OrgUnitSearch() {
  const t = useT();
  const [text, setText] = useState("");
  const [page, setPage] = useState(1);
  const q = useDebounced(text.trim(), 300);
  const results = useLoad(
    () =>
      q
        ? api.get<Page<OrgUnitListItem>>(`/api/v1/org-units${query({ q, page, pageSize: 20 })}`)
        : Promise.resolve(undefined),
    [q, page],
  );
  return (
    <search className="search">
      <TextField
        label={t("orgUnits.search")}
        type="search"
        hint={t("orgUnits.searchHint")}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setPage(1);
        }}
      />
      <ErrorBox error={results.error} />
      {q && results.data && (
        <section aria-label={t("orgUnits.searchResults")}>
          {results.data.items.length === 0 ? (
            <p className="muted">{t("orgUnits.noResults", { q })}</p>
          ) : (
            <ul className="rows">
              {results.data.items.map((unit) => (
                <OrgUnitRow key={unit.id} unit={unit} />
              ))}
            </ul>
          )}
          <Pager page={page} pageSize={20} total={results.data.total} onPage={setPage} />
        </section>
      )}
    </search>
  );
}

export function OrgUnitRow({ unit }: { unit: OrgUnitListItem }) {
  const t = useT();
  return (
    <li>
      <span className="row-main">
        <Link to={`/org-units/${unit.id}`}>{unit.name}</Link>
        {!unit.current && <HistoricalBadge validTo={unit.validTo} />}
      </span>
      <span className="muted">
        {[t(`kind.${unit.kind}`), unit.code, ...unit.ancestry].filter(Boolean).join(" · ")}
        {unit.successors.length > 0 && (
          <>
            {" · "}
            {t("orgUnits.mergedInto")} {unit.successors.map((s) => s.name).join(", ")}
          </>
        )}
      </span>
    </li>
  );
}

export function HistoricalBadge({ validTo }: { validTo: string | null }) {
  const t = useT();
  return (
    <span
      className="badge"
      title={validTo ? t("orgUnits.validUntil", { date: formatDateShort(validTo) }) : undefined}
    >
      {t("orgUnits.historical")}
    </span>
  );
}
