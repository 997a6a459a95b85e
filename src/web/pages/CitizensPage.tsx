import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { formatDateTime } from "../../domain/format.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice, Pager } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { useDebounced, useLoad, useSelection } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import "./learning-models.css";
import { useSession } from "../session.tsx";
import type { BatchResult, OrgUnitDetail, Page } from "../types.ts";

type Citizen = {
  id: number;
  fullName: string;
  citizenGroup: number;
  birthYear: number | null;
  phone: string | null;
  orgUnit: { id: number; name: string };
  status: "pending" | "verified" | "rejected";
  source: "public" | "officer";
  flag: "burst" | "repeat" | "trap" | null;
  createdAt: string;
};
const PAGE_SIZE = 50;

/** The commune's or unit's learning citizens, with the queue of self-registrations to verify. */
export function CitizensPage() {
  const t = useT();
  const { can } = useSession();
  const unitId = Number(useParams().id);
  const [status, setStatus] = useState<"pending" | "verified" | "rejected">("pending");
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 300);
  const [page, setPage] = useState(1);
  const { selected, toggle, setAll, clear, allSelected } = useSelection();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const unit = useLoad(() => api.get<OrgUnitDetail>(`/api/v1/org-units/${unitId}`), [unitId]);
  const summary = useLoad(
    () =>
      api.get<{ pending: number; flagged: number; lastHour: number }>(
        `/api/v1/citizens/queue?orgUnitId=${unitId}`,
      ),
    [unitId, notice],
  );
  const list = useLoad(
    () =>
      api.get<Page<Citizen>>(
        `/api/v1/citizens${query({ orgUnitId: unitId, status, q, page, pageSize: PAGE_SIZE })}`,
      ),
    [unitId, status, q, page, notice],
  );
  const groups = useLoad(() => api.get<string[]>("/api/v1/public/citizen-groups"), []);

  async function decide(decision: "verify" | "reject", event?: FormEvent) {
    event?.preventDefault();
    setError(null);
    try {
      const result = await api.post<BatchResult>("/api/v1/citizens/decide", {
        ids: [...selected],
        decision,
        ...(decision === "reject" ? { reason } : {}),
      });
      clear();
      setRejecting(false);
      setReason("");
      setNotice(t("citizens.queue.done", { changed: result.changed, unchanged: result.unchanged }));
    } catch (e) {
      setError(e);
    }
  }

  if (unit.error) return <ErrorBox error={unit.error} />;
  if (!unit.data) return <Loading />;
  const items = list.data?.items ?? [];
  const allChecked = allSelected(items.map((c) => c.id));
  const writable = can("registry.write") && status === "pending";

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t("orgUnits.breadcrumb")}>
        <ol>
          <li>
            <Link to={`/org-units/${unitId}`}>{unit.data.name}</Link>
          </li>
        </ol>
      </nav>
      <h1>{t("citizens.queue.title")}</h1>
      {summary.data && (
        <p className="muted">
          {t("citizens.queue.summary", { pending: summary.data.pending, lastHour: summary.data.lastHour })}
        </p>
      )}
      {summary.data && summary.data.flagged > 0 && (
        <p className="warning" role="alert">
          {t("citizens.queue.flaggedAlert", { flagged: summary.data.flagged })}
        </p>
      )}
      <div className="filters">
        <SelectField
          label={t("citizens.queue.status")}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as typeof status);
            setPage(1);
            clear();
          }}
        >
          {(["pending", "verified", "rejected"] as const).map((s) => (
            <option key={s} value={s}>
              {t(`citizens.queue.${s}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t("citizens.queue.search")}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <Notice>{notice}</Notice>
      {can("registry.write") && unit.data.current && (
        <AddCitizenForm
          unitId={unitId}
          groups={groups.data ?? []}
          onAdded={(name) => setNotice(t("citizens.add.done", { name }))}
        />
      )}
      <ErrorBox error={error ?? list.error} />
      {writable && selected.size > 0 && !rejecting && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => decide("verify")}>
            {t("citizens.queue.verify")}
          </button>
          <button type="button" onClick={() => setRejecting(true)}>
            {t("citizens.queue.reject")}
          </button>
        </div>
      )}
      {rejecting && (
        <form className="card" onSubmit={(e) => decide("reject", e)} noValidate>
          <TextField
            label={t("citizens.queue.reason")}
            value={reason}
            error={error instanceof ApiError ? error.fieldErrors.reason : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="primary">
              {t("citizens.queue.confirm")}
            </button>
            <button type="button" onClick={() => setRejecting(false)}>
              {t("citizens.queue.cancel")}
            </button>
          </div>
        </form>
      )}
      {writable && items.length > 0 && (
        <label className="check">
          <input
            type="checkbox"
            checked={allChecked}
            onChange={() => (allChecked ? clear() : setAll(items.map((c) => c.id)))}
          />
          {t("citizens.queue.selectAll")}
        </label>
      )}
      {list.data?.total === 0 && <p className="muted">{t("citizens.queue.none")}</p>}
      {!!list.data?.total && (
        <ListExportLinks path="/api/v1/citizens" params={{ orgUnitId: unitId, status, q }} />
      )}
      <ul className="rows">
        {items.map((c) => (
          <li key={c.id}>
            <span className="row-main">
              {writable && (
                <input
                  type="checkbox"
                  aria-label={t("citizens.queue.select", { name: c.fullName })}
                  checked={selected.has(c.id)}
                  onChange={() => toggle(c.id)}
                />
              )}{" "}
              <strong>{c.fullName}</strong>{" "}
              {c.flag && <span className="badge badge-warn">{t(`citizens.queue.flag.${c.flag}`)}</span>}
            </span>
            <span className="muted">
              {[
                groups.data?.[c.citizenGroup - 1] ?? t("citizens.queue.group", { group: c.citizenGroup }),
                c.birthYear ? t("citizens.queue.born", { year: c.birthYear }) : "",
                c.phone ?? "",
                c.orgUnit.id !== unitId ? c.orgUnit.name : "",
                c.source === "public" ? t("citizens.queue.public") : "",
                formatDateTime(c.createdAt),
              ]
                .filter(Boolean)
                .join(" · ")}
            </span>
          </li>
        ))}
      </ul>
      {list.data && <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}
    </div>
  );
}

/** An officer records a citizen directly; they are verified at once. */
function AddCitizenForm({
  unitId,
  groups,
  onAdded,
}: {
  unitId: number;
  groups: string[];
  onAdded: (name: string) => void;
}) {
  const t = useT();
  const empty = { fullName: "", citizenGroup: "", birthYear: "", phone: "" };
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  const set = (field: keyof typeof empty) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post("/api/v1/citizens", {
        orgUnitId: unitId,
        fullName: form.fullName,
        citizenGroup: Number(form.citizenGroup) || 0,
        ...(form.birthYear.trim() ? { birthYear: Number(form.birthYear) } : {}),
        ...(form.phone.trim() ? { phone: form.phone } : {}),
      });
      onAdded(form.fullName.trim());
      setForm(empty);
      setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <p className="actions">
        <button type="button" onClick={() => setOpen(true)}>
          {t("citizens.add.open")}
        </button>
        <ImportLink unitId={unitId} kind="citizens" />
      </p>
    );
  }
  return (
    <form className="card" onSubmit={onSubmit} noValidate>
      <h2>{t("citizens.add.open")}</h2>
      <ErrorBox error={error} />
      <TextField
        label={t("citizens.public.fullName")}
        value={form.fullName}
        error={fieldErrors.fullName}
        onChange={set("fullName")}
      />
      <SelectField
        label={t("citizens.public.group")}
        value={form.citizenGroup}
        error={fieldErrors.citizenGroup}
        onChange={set("citizenGroup")}
      >
        <option value="">{t("citizens.public.chooseGroup")}</option>
        {groups.map((name, i) => (
          <option key={name} value={i + 1}>
            {name}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("citizens.public.birthYear")}
        inputMode="numeric"
        value={form.birthYear}
        error={fieldErrors.birthYear}
        onChange={set("birthYear")}
      />
      <TextField
        label={t("citizens.add.phone")}
        type="tel"
        inputMode="tel"
        value={form.phone}
        error={fieldErrors.phone}
        onChange={set("phone")}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("citizens.add.save")}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t("citizens.queue.cancel")}
        </button>
      </div>
    </form>
  );
}
