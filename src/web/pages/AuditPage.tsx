import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { formatDateTime } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Pager } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { useLoad } from "../hooks.ts";
import { type MessageKey, useT } from "../i18n/index.tsx";
import { vi } from "../i18n/vi.ts";
import { useSession } from "../session.tsx";
import type { AuditItem, Page } from "../types.ts";

const PAGE_SIZE = 50;
const ACTIONS = Object.keys(vi)
  .filter((key) => key.startsWith("action."))
  .map((key) => key.slice("action.".length));

/** Who did what, when, within the user's scope. Read-only: the trail is append-only. */
export function AuditPage() {
  const t = useT();
  const empty = { username: "", action: "", from: "", to: "" };
  const [draft, setDraft] = useState(empty);
  const [filters, setFilters] = useState(empty);
  const [page, setPage] = useState(1);
  const entries = useLoad(
    () => api.get<Page<AuditItem>>(`/api/v1/audit${query({ ...filters, page, pageSize: PAGE_SIZE })}`),
    [filters, page],
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFilters({ ...draft, username: draft.username.trim() });
    setPage(1);
  }

  const set = (field: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));

  return (
    <div className="page page-wide">
      <h1>{t("audit.title")}</h1>
      <p className="muted">{t("audit.intro")}</p>
      <BackupDownload />
      <form className="filters" onSubmit={onSubmit}>
        <TextField
          label={t("audit.filterUser")}
          value={draft.username}
          autoCapitalize="none"
          onChange={set("username")}
        />
        <SelectField label={t("audit.filterAction")} value={draft.action} onChange={set("action")}>
          <option value="">{t("audit.filterAll")}</option>
          {ACTIONS.map((action) => (
            <option key={action} value={action}>
              {actionLabel(t, action)}
            </option>
          ))}
        </SelectField>
        <TextField label={t("audit.filterFrom")} type="date" value={draft.from} onChange={set("from")} />
        <TextField label={t("audit.filterTo")} type="date" value={draft.to} onChange={set("to")} />
        <button type="submit">{t("audit.apply")}</button>
      </form>
      <ErrorBox error={entries.error} />
      {!entries.data && !entries.error && <Loading />}
      {entries.data?.items.length === 0 && <p className="muted">{t("audit.none")}</p>}
      {entries.data && entries.data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.user")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.unit")}</th>
                <th scope="col">{t("audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{formatDateTime(entry.at)}</td>
                  <td>{entry.username ?? "—"}</td>
                  <td>{actionLabel(t, entry.action)}</td>
                  <td>
                    {entry.orgUnitId ? (
                      <Link to={`/org-units/${entry.orgUnitId}`}>{entry.orgUnitName}</Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    <Changes before={entry.before} after={entry.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries.data && <Pager page={page} pageSize={PAGE_SIZE} total={entries.data.total} onPage={setPage} />}
    </div>
  );
}

/** A national administrator's copy of all data (GET /api/v1/system/backup), recorded in this log. */
function BackupDownload() {
  const t = useT();
  const { can, user } = useSession();
  if (!can("system.backup") || !user?.scopes.some((s) => s.kind === "nation")) return null;
  return (
    <section className="backup-download" aria-labelledby="backup-title">
      <h2 id="backup-title">{t("backup.title")}</h2>
      <p className="muted">{t("backup.intro")}</p>
      <a className="dash-download" href="/api/v1/system/backup" download>
        {t("backup.download")}
      </a>
    </section>
  );
}

function actionLabel(t: ReturnType<typeof useT>, action: string): string {
  const key = `action.${action}`;
  return key in vi ? t(key as MessageKey) : action;
}

/** "name: Thôn A → Thôn B" for each field that changed; the whole record when created. */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  const t = useT();
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
  if (keys.length === 0) return null;
  return (
    <ul className="changes" aria-label={`${t("audit.before")} → ${t("audit.after")}`}>
      {keys.map((k) => (
        <li key={k}>
          <code>{k}</code>: {k in b && <del>{show(b[k])}</del>}
          {k in b && k in a && " → "}
          {k in a && <ins>{show(a[k])}</ins>}
        </li>
      ))}
    </ul>
  );
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}
