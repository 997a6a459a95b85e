import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import type { z } from "zod";
import type * as Registry from "../../capabilities/registry/schemas.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice, Pager } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { useDebounced, useLoad, useSelection } from "../hooks.ts";
import { type MessageKey, useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { OrgUnitDetail, Page } from "../types.ts";
import "./imports.css";

export type HouseholdSummary = z.infer<typeof Registry.HouseholdSummary>;
export type HouseholdDetail = z.infer<typeof Registry.HouseholdDetail>;
export type ClanSummary = z.infer<typeof Registry.ClanSummary>;
export type ClanDetail = z.infer<typeof Registry.ClanDetail>;
type MemberView = z.infer<typeof Registry.MemberView>;
type BulkResult = z.infer<typeof Registry.BulkResult>;

const PAGE_SIZE = 25;

/** Field errors of a failed request by their full path ("members.1.birthYear"), first message wins. */
export function pathErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const e of error.problem.errors ?? []) out[e.field] ??= e.message;
  return out;
}

/** A checkbox with its label as a 44 px touch target. */
export function CheckField({
  label,
  checked,
  onChange,
  error,
  disabled,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label className="check" style={{ minHeight: 44 }}>
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange(e.target.checked)}
          style={{ width: 22, height: 22, flex: "none" }}
        />
        <span style={{ fontWeight: 400 }}>{label}</span>
      </label>
      {error && (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The unit's back link and title block shared by the registry pages. */
export function useRegistryUnit(id: number) {
  return useLoad(() => api.get<OrgUnitDetail>(`/api/v1/org-units/${id}`), [id]);
}

export function UnitLoadError({ error }: { error: unknown }) {
  const t = useT();
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <div className="page">
      <h1>{problem?.title ?? t("error.title")}</h1>
      <ErrorBox error={error} />
      <p>
        <Link to="/org-units">{t("orgUnits.yourUnits")}</Link>
      </p>
    </div>
  );
}

export function HouseholdBadges({ h }: { h: HouseholdSummary }) {
  const t = useT();
  const badges = [
    !h.active && t("households.moved"),
    h.isPoor && t("households.poor"),
    h.isNearPoor && t("households.nearPoor"),
    h.isEthnicMinority && t("households.minority"),
  ].filter((b): b is string => Boolean(b));
  return (
    <>
      {badges.map((b) => (
        <span key={b} className="badge" style={{ marginLeft: "0.25rem" }}>
          {b}
        </span>
      ))}
    </>
  );
}

/** "/org-units/:id/households": the households of a village. */
export function HouseholdsPage() {
  const t = useT();
  const { can } = useSession();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get("h")) || null;
  const unit = useRegistryUnit(id);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const top = useRef<HTMLDivElement>(null);

  if (unit.error) return <UnitLoadError error={unit.error} />;
  if (!unit.data || unit.data.id !== id) return <Loading />;
  const u = unit.data;
  const commune = u.ancestors.at(-1);
  const back = (
    <p>
      <Link to={`/org-units/${u.id}`}>{t("registry.back", { name: u.name })}</Link>
    </p>
  );
  const changed = (message: string) => {
    setNotice(message);
    setVersion((v) => v + 1);
  };
  const writable = can("registry.write") && u.current;
  const importLink = writable && can("data.import") && (u.kind === "village" || u.kind === "commune") && (
    <Link className="import-button" to={`/org-units/${u.id}/import/households`}>
      {t("import.link")}
    </Link>
  );
  if (u.kind === "commune") {
    // A commune sees the households of all its villages (and imports them); one is added in its village.
    return (
      <div className="page" ref={top}>
        {back}
        <h1>{t("households.title")}</h1>
        <p className="muted">{u.name}</p>
        <Notice>{notice}</Notice>
        {openId !== null && (
          <HouseholdView id={openId} version={version} onClose={() => setParams({})} onChanged={changed} />
        )}
        <div hidden={openId !== null} style={{ display: openId !== null ? "none" : "contents" }}>
          {importLink && <div className="actions">{importLink}</div>}
          <p className="hint">{t("households.communeHint")}</p>
          <HouseholdList
            scope={{ orgUnitId: u.id }}
            communeId={u.id}
            writable={writable}
            version={version}
            onChanged={changed}
          />
        </div>
      </div>
    );
  }
  if (u.kind !== "village") {
    return (
      <div className="page">
        {back}
        <h1>{t("households.title")}</h1>
        <p>{t("registry.onlyVillage")}</p>
      </div>
    );
  }
  return (
    <div className="page" ref={top}>
      {back}
      <h1>{t("households.title")}</h1>
      <p className="muted">{[u.name, commune?.name].filter(Boolean).join(" · ")}</p>
      <Notice>{notice}</Notice>
      {openId !== null && (
        <HouseholdView id={openId} version={version} onClose={() => setParams({})} onChanged={changed} />
      )}
      {/* The list stays mounted under an open household: its search and selection survive. */}
      <div hidden={openId !== null} style={{ display: openId !== null ? "none" : "contents" }}>
        {writable &&
          (adding ? (
            <HouseholdForm
              villageId={u.id}
              onCancel={() => setAdding(false)}
              onSaved={(h) => {
                setAdding(false);
                changed(t("households.added", { name: h.headName }));
                top.current?.scrollIntoView();
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
                {t("households.add")}
              </button>
              {importLink}
            </div>
          ))}
        <HouseholdList
          scope={{ villageId: u.id }}
          communeId={commune?.id}
          writable={writable}
          version={version}
          onChanged={changed}
        />
      </div>
    </div>
  );
}

type Filter = "active" | "poor" | "nearPoor" | "minority" | "moved" | "all";

const FILTER_QUERY: Record<Filter, Record<string, string>> = {
  active: { active: "true" },
  poor: { active: "true", isPoor: "true" },
  nearPoor: { active: "true", isNearPoor: "true" },
  minority: { active: "true", isEthnicMinority: "true" },
  moved: { active: "false" },
  all: { active: "all" },
};

const FILTER_LABEL: Record<Filter, MessageKey> = {
  active: "households.filterActive",
  poor: "households.filterPoor",
  nearPoor: "households.filterNearPoor",
  minority: "households.filterMinority",
  moved: "households.filterMoved",
  all: "households.filterAll",
};

function HouseholdList({
  scope,
  communeId,
  writable,
  version,
  onChanged,
}: {
  /** One village's households, or those of every village of a commune (with their village named). */
  scope: { villageId: number } | { orgUnitId: number };
  communeId: number | undefined;
  writable: boolean;
  version: number;
  onChanged: (message: string) => void;
}) {
  const t = useT();
  const [text, setText] = useState("");
  const [filter, setFilter] = useState<Filter>("active");
  const [page, setPage] = useState(1);
  const { selected, toggle, clear, allSelected } = useSelection();
  const q = useDebounced(text.trim(), 300);
  const scopeKey = "villageId" in scope ? `v${scope.villageId}` : `u${scope.orgUnitId}`;
  const households = useLoad(
    () =>
      api.get<Page<HouseholdSummary>>(
        `/api/v1/households${query({ ...scope, q, page, pageSize: PAGE_SIZE, ...FILTER_QUERY[filter] })}`,
      ),
    [scopeKey, q, page, filter, version],
  );
  const items = households.data?.items ?? [];
  const allOnPage = allSelected(items.map((h) => h.id));

  return (
    <>
      <search style={{ display: "flex", flexDirection: "column", gap: "0.5rem" }}>
        <TextField
          label={t("households.search")}
          type="search"
          hint={t("households.searchHint")}
          value={text}
          autoComplete="off"
          onChange={(e) => {
            setText(e.target.value);
            setPage(1);
          }}
        />
        <SelectField
          label={t("households.filter")}
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value as Filter);
            setPage(1);
            clear();
          }}
        >
          {(Object.keys(FILTER_LABEL) as Filter[]).map((f) => (
            <option key={f} value={f}>
              {t(FILTER_LABEL[f])}
            </option>
          ))}
        </SelectField>
      </search>
      {writable && selected.size > 0 && (
        <BulkBar
          ids={[...selected]}
          communeId={communeId}
          restoring={filter === "moved"}
          onClear={clear}
          onDone={(message) => {
            clear();
            onChanged(message);
          }}
        />
      )}
      <ErrorBox error={households.error} />
      {!households.data && !households.error && <Loading />}
      {households.data && (
        <section aria-label={t("households.searchResults")} className="card">
          <p className="muted" style={{ margin: 0 }}>
            {t("households.count", { count: households.data.total })}
          </p>
          {households.data.total > 0 && (
            <ListExportLinks path="/api/v1/households" params={{ ...scope, q, ...FILTER_QUERY[filter] }} />
          )}
          {items.length === 0 && (
            <p className="muted">{q ? t("households.noResults", { q }) : t("households.none")}</p>
          )}
          {writable && items.length > 1 && (
            <CheckField
              label={t("households.selectAll")}
              checked={allOnPage}
              onChange={(on) => {
                for (const h of items) toggle(h.id, on);
              }}
            />
          )}
          <ul className="rows">
            {items.map((h) => (
              <li key={h.id} style={{ flexDirection: "row", alignItems: "flex-start", gap: "0.5rem" }}>
                {writable && (
                  <label
                    style={{ display: "flex", padding: 11, margin: "-11px 0 -11px -11px", flex: "none" }}
                  >
                    <input
                      type="checkbox"
                      aria-label={t("households.select", { name: h.headName })}
                      checked={selected.has(h.id)}
                      onChange={(e) => toggle(h.id, e.target.checked)}
                      style={{ width: 22, height: 22, minHeight: 22 }}
                    />
                  </label>
                )}
                <span style={{ display: "flex", flexDirection: "column", minWidth: 0 }}>
                  <span className="row-main">
                    <Link to={{ search: `?h=${h.id}` }}>{h.headName}</Link>
                    <HouseholdBadges h={h} />
                  </span>
                  <span className="muted">
                    {[
                      "orgUnitId" in scope ? h.village.name : null,
                      t("households.members", { count: h.memberCount }),
                      h.address,
                      h.clans.map((c) => c.name).join(", "),
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                </span>
              </li>
            ))}
          </ul>
          <Pager page={page} pageSize={PAGE_SIZE} total={households.data.total} onPage={setPage} />
        </section>
      )}
    </>
  );
}

function BulkBar({
  ids,
  communeId,
  restoring,
  onClear,
  onDone,
}: {
  ids: number[];
  communeId: number | undefined;
  restoring: boolean;
  onClear: () => void;
  onDone: (message: string) => void;
}) {
  const t = useT();
  const [clanId, setClanId] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // The commune's clans, when the user may see them (a village-scoped user may not).
  const clans = useLoad(
    () =>
      communeId === undefined
        ? Promise.resolve([])
        : api.get<Page<ClanSummary>>(`/api/v1/clans${query({ communeId, pageSize: 200 })}`).then(
            (p) => p.items,
            () => [],
          ),
    [communeId],
  );

  async function run(
    body: { action: BulkResult["action"]; clanId?: number },
    message: (n: number) => string,
  ) {
    setError(null);
    setBusy(true);
    try {
      const result = await api.post<BulkResult>("/api/v1/households/bulk", { ...body, ids });
      onDone(message(result.changed));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const clanErrors = pathErrors(error);
  return (
    <section
      className="card"
      aria-label={t("bulk.bar")}
      style={{ borderColor: "var(--blue)", borderWidth: 2 }}
    >
      <p style={{ margin: 0, fontWeight: 600 }}>{t("bulk.selected", { count: ids.length })}</p>
      <ErrorBox error={error} />
      <div className="actions">
        {restoring ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => run({ action: "activate" }, (count) => t("bulk.activated", { count }))}
          >
            {t("bulk.activate")}
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => run({ action: "deactivate" }, (count) => t("bulk.deactivated", { count }))}
          >
            {t("bulk.deactivate")}
          </button>
        )}
        <button type="button" disabled={busy} onClick={onClear}>
          {t("bulk.clear")}
        </button>
      </div>
      {!restoring && (clans.data?.length ?? 0) > 0 && (
        <div className="inline-form">
          <SelectField
            label={t("bulk.clan")}
            value={clanId}
            error={clanErrors.clanId ?? clanErrors.ids}
            onChange={(e) => setClanId(e.target.value)}
          >
            <option value="">{t("bulk.chooseClan")}</option>
            {clans.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <button
            type="button"
            disabled={busy || !clanId}
            onClick={() => {
              const clan = clans.data?.find((c) => String(c.id) === clanId);
              run({ action: "addToClan", clanId: Number(clanId) }, (count) =>
                t("bulk.addedToClan", { count, clan: clan?.name ?? "" }),
              );
            }}
          >
            {t("bulk.addToClan")}
          </button>
        </div>
      )}
    </section>
  );
}

// ───────────────────────── the household form ─────────────────────────

interface MemberDraft {
  key: number;
  fullName: string;
  birthYear: string;
  sex: "" | "male" | "female";
  ethnicity: string;
  nationalId: string;
  isHead: boolean;
}

let nextKey = 1;
const emptyMember = (): MemberDraft => ({
  key: nextKey++,
  fullName: "",
  birthYear: "",
  sex: "",
  ethnicity: "",
  nationalId: "",
  isHead: false,
});

const isBlank = (m: MemberDraft) =>
  !m.fullName.trim() && !m.birthYear.trim() && !m.sex && !m.ethnicity.trim() && !m.nationalId.trim();

/** A typed year as a number when it looks like one; otherwise as typed, for the server to explain. */
function yearValue(text: string): number | string | undefined {
  const s = text.trim();
  if (!s) return undefined;
  return /^-?\d{1,6}$/.test(s) ? Number(s) : s;
}

function memberBody(m: MemberDraft) {
  return {
    fullName: m.fullName,
    birthYear: yearValue(m.birthYear),
    ...(m.sex ? { sex: m.sex } : {}),
    ...(m.ethnicity.trim() ? { ethnicity: m.ethnicity } : {}),
    ...(m.isHead ? { isHead: true } : {}),
    ...(m.nationalId.trim() ? { nationalId: m.nationalId } : {}),
  };
}

interface HouseholdDraft {
  headName: string;
  address: string;
  isPoor: boolean;
  isNearPoor: boolean;
  isEthnicMinority: boolean;
}

const DRAFT_PREFIX = "xhht.householdDraft.";

/**
 * What was typed survives a reload of the page (a phone dropping the tab on a weak connection):
 * kept in this tab's sessionStorage, without national ID numbers, until saved or cancelled.
 */
function loadDraft(villageId: number): { form: HouseholdDraft; members: MemberDraft[] } | null {
  try {
    const raw = sessionStorage.getItem(DRAFT_PREFIX + villageId);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as { form: HouseholdDraft; members: Omit<MemberDraft, "key">[] };
    return {
      form: parsed.form,
      members: parsed.members.map((m) => ({ ...emptyMember(), ...m, nationalId: "" })),
    };
  } catch {
    return null;
  }
}

function saveDraft(villageId: number, form: HouseholdDraft, members: MemberDraft[]) {
  try {
    const empty = !form.headName.trim() && !form.address.trim() && members.every(isBlank);
    if (empty) sessionStorage.removeItem(DRAFT_PREFIX + villageId);
    else
      sessionStorage.setItem(
        DRAFT_PREFIX + villageId,
        JSON.stringify({ form, members: members.map(({ key: _k, nationalId: _n, ...rest }) => rest) }),
      );
  } catch {
    // Private browsing or a full storage: the form still works, only without the safety net.
  }
}

function clearDraft(villageId: number) {
  try {
    sessionStorage.removeItem(DRAFT_PREFIX + villageId);
  } catch {
    // nothing to clear
  }
}

/** The poor and near-poor boxes exclude each other: ticking one clears the other. */
export function PovertyFields({
  isPoor,
  isNearPoor,
  isEthnicMinority,
  errors,
  onChange,
}: {
  isPoor: boolean;
  isNearPoor: boolean;
  isEthnicMinority: boolean;
  errors: Record<string, string>;
  onChange: (patch: Partial<HouseholdDraft>) => void;
}) {
  const t = useT();
  return (
    <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
      <CheckField
        label={t("households.isPoor")}
        checked={isPoor}
        error={errors.isPoor}
        onChange={(on) => onChange(on ? { isPoor: true, isNearPoor: false } : { isPoor: false })}
      />
      <CheckField
        label={t("households.isNearPoor")}
        checked={isNearPoor}
        error={errors.isNearPoor}
        onChange={(on) => onChange(on ? { isNearPoor: true, isPoor: false } : { isNearPoor: false })}
      />
      <CheckField
        label={t("households.isEthnicMinority")}
        checked={isEthnicMinority}
        error={errors.isEthnicMinority}
        onChange={(on) => onChange({ isEthnicMinority: on })}
      />
    </fieldset>
  );
}

function HouseholdForm({
  villageId,
  onSaved,
  onCancel,
}: {
  villageId: number;
  onSaved: (h: HouseholdDetail) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [restored] = useState(() => loadDraft(villageId));
  const [form, setForm] = useState<HouseholdDraft>(
    restored?.form ?? {
      headName: "",
      address: "",
      isPoor: false,
      isNearPoor: false,
      isEthnicMinority: false,
    },
  );
  const [members, setMembers] = useState<MemberDraft[]>(
    restored?.members.length ? restored.members : [emptyMember()],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => saveDraft(villageId, form, members), [villageId, form, members]);

  const setMember = (key: number, patch: Partial<MemberDraft>) =>
    setMembers((ms) =>
      ms.map((m) => (m.key === key ? { ...m, ...patch } : patch.isHead ? { ...m, isHead: false } : m)),
    );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    // Rows left entirely empty are not members; the server numbers the rest from 0.
    const sent = members.filter((m) => !isBlank(m));
    const rowOf = (i: number) => sent[i]?.key;
    const missing: Record<string, string> = {};
    if (!form.headName.trim()) missing.headName = t("error.required");
    sent.forEach((m, i) => {
      if (!m.fullName.trim()) missing[`members.${i}.fullName`] = t("error.required");
    });
    const toRowErrors = (byIndex: Record<string, string>) => {
      const out: Record<string, string> = {};
      for (const [field, message] of Object.entries(byIndex)) {
        const match = /^members\.(\d+)(?:\.(\w+))?$/.exec(field);
        if (match) out[`row.${rowOf(Number(match[1]))}.${match[2] ?? "fullName"}`] = message;
        else out[field] = message;
      }
      return out;
    };
    if (Object.keys(missing).length > 0) {
      setErrors(toRowErrors(missing));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await api.post<HouseholdDetail>("/api/v1/households", {
        villageId,
        headName: form.headName,
        ...(form.address.trim() ? { address: form.address } : {}),
        isPoor: form.isPoor,
        isNearPoor: form.isNearPoor,
        isEthnicMinority: form.isEthnicMinority,
        members: sent.map(memberBody),
      });
      clearDraft(villageId);
      onSaved(created);
    } catch (e) {
      setError(e);
      setErrors(toRowErrors(pathErrors(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-labelledby="household-form-title">
      <h2 id="household-form-title">{t("households.form.title")}</h2>
      {restored && <p className="hint">{t("households.draftRestored")}</p>}
      <ErrorBox error={error} />
      <TextField
        label={t("households.headName")}
        value={form.headName}
        maxLength={120}
        autoComplete="off"
        error={errors.headName}
        onChange={(e) => setForm((f) => ({ ...f, headName: e.target.value }))}
      />
      <TextField
        label={t("households.address")}
        hint={t("households.addressHint")}
        value={form.address}
        maxLength={200}
        error={errors.address}
        onChange={(e) => setForm((f) => ({ ...f, address: e.target.value }))}
      />
      <PovertyFields {...form} errors={errors} onChange={(patch) => setForm((f) => ({ ...f, ...patch }))} />
      <h3>{t("households.membersTitle")}</h3>
      <p className="hint">{t("households.membersHint")}</p>
      {members.map((m, i) => (
        <fieldset
          key={m.key}
          className="card"
          style={{ margin: 0, background: "var(--bg)" }}
          aria-label={t("households.memberLegend", { n: i + 1 })}
        >
          <legend style={{ fontWeight: 600, padding: "0 0.25rem" }}>
            {t("households.memberLegend", { n: i + 1 })}
          </legend>
          <MemberFields
            value={m}
            errors={{
              fullName: errors[`row.${m.key}.fullName`],
              birthYear: errors[`row.${m.key}.birthYear`],
              sex: errors[`row.${m.key}.sex`],
              ethnicity: errors[`row.${m.key}.ethnicity`],
              nationalId: errors[`row.${m.key}.nationalId`],
              isHead: errors[`row.${m.key}.isHead`],
            }}
            onChange={(patch) => setMember(m.key, patch)}
          />
          <button
            type="button"
            onClick={() => setMembers((ms) => ms.filter((x) => x.key !== m.key))}
            style={{ alignSelf: "flex-start" }}
          >
            {t("households.removeMemberRow", { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => setMembers((ms) => [...ms, emptyMember()])}
        style={{ alignSelf: "flex-start" }}
      >
        {t("households.addMemberRow")}
      </button>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("households.saving") : t("households.submit")}
        </button>
        <button
          type="button"
          onClick={() => {
            clearDraft(villageId);
            onCancel();
          }}
        >
          {t("registry.cancel")}
        </button>
      </div>
    </form>
  );
}

type MemberErrors = Partial<
  Record<"fullName" | "birthYear" | "sex" | "ethnicity" | "nationalId" | "isHead", string>
>;

/** The inputs of one member, in the create form and in the member editor alike. */
function MemberFields({
  value,
  errors,
  onChange,
  nationalIdNote,
  children,
}: {
  value: Omit<MemberDraft, "key">;
  errors: MemberErrors;
  onChange: (patch: Partial<MemberDraft>) => void;
  nationalIdNote?: string | undefined;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <TextField
        label={t("members.fullName")}
        value={value.fullName}
        maxLength={120}
        autoComplete="off"
        error={errors.fullName}
        onChange={(e) => onChange({ fullName: e.target.value })}
      />
      <TextField
        label={t("members.birthYear")}
        hint={t("members.birthYearHint")}
        value={value.birthYear}
        inputMode="numeric"
        maxLength={6}
        autoComplete="off"
        error={errors.birthYear}
        onChange={(e) => onChange({ birthYear: e.target.value })}
      />
      <SelectField
        label={t("members.sex")}
        value={value.sex}
        error={errors.sex}
        onChange={(e) => onChange({ sex: e.target.value as MemberDraft["sex"] })}
      >
        <option value="">{t("members.sexUnknown")}</option>
        <option value="male">{t("members.male")}</option>
        <option value="female">{t("members.female")}</option>
      </SelectField>
      <TextField
        label={t("members.ethnicity")}
        value={value.ethnicity}
        maxLength={60}
        error={errors.ethnicity}
        onChange={(e) => onChange({ ethnicity: e.target.value })}
      />
      <TextField
        label={t("members.nationalId")}
        hint={nationalIdNote ?? t("members.nationalIdHint")}
        value={value.nationalId}
        inputMode="numeric"
        maxLength={20}
        autoComplete="off"
        error={errors.nationalId}
        onChange={(e) => onChange({ nationalId: e.target.value })}
      />
      {children}
      <CheckField
        label={t("members.isHead")}
        checked={value.isHead}
        error={errors.isHead}
        onChange={(on) => onChange({ isHead: on })}
      />
    </>
  );
}

// ───────────────────────── one household ─────────────────────────

function HouseholdView({
  id,
  version,
  onClose,
  onChanged,
}: {
  id: number;
  version: number;
  onClose: () => void;
  onChanged: (message: string) => void;
}) {
  const t = useT();
  const loaded = useLoad(() => api.get<HouseholdDetail>(`/api/v1/households/${id}`), [id, version]);
  const [data, setData] = useState<HouseholdDetail | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [addingMember, setAddingMember] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (loaded.data) setData(loaded.data);
  }, [loaded.data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves when another household opens.
  useEffect(() => heading.current?.focus(), [id]);

  const h = data?.id === id ? data : undefined;
  const accept = (next: HouseholdDetail, message: string) => {
    setData(next);
    onChanged(message);
  };

  async function setActive(active: boolean) {
    if (!h) return;
    setError(null);
    try {
      const next = await api.patch<HouseholdDetail>(`/api/v1/households/${id}`, { active });
      accept(next, t(active ? "household.restored" : "household.moved", { name: next.headName }));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-labelledby="household-heading">
      <button type="button" className="link-button" onClick={onClose} style={{ alignSelf: "flex-start" }}>
        {t("household.backToList")}
      </button>
      <ErrorBox error={loaded.error} />
      {!h && !loaded.error && <Loading />}
      {h && (
        <>
          <h2 id="household-heading" ref={heading} tabIndex={-1}>
            {h.headName} <HouseholdBadges h={h} />
          </h2>
          <dl className="facts">
            <dt>{t("household.village")}</dt>
            <dd>{h.village.name}</dd>
            {h.address && (
              <>
                <dt>{t("households.address")}</dt>
                <dd>{h.address}</dd>
              </>
            )}
            <dt>{t("household.memberCount")}</dt>
            <dd>{h.memberCount}</dd>
            <dt>{t("household.clans")}</dt>
            <dd>{h.clans.length ? h.clans.map((c) => c.name).join(", ") : t("household.noClan")}</dd>
          </dl>
          <ErrorBox error={error} />
          {!h.canWrite && <p className="muted">{t("household.readOnly")}</p>}
          {h.canWrite && !editing && (
            <div className="actions">
              <button type="button" onClick={() => setEditing(true)}>
                {t("household.edit")}
              </button>
              <button type="button" onClick={() => setActive(!h.active)}>
                {h.active ? t("household.markMoved") : t("household.restore")}
              </button>
            </div>
          )}
          {editing && (
            <HouseholdEditForm
              household={h}
              onCancel={() => setEditing(false)}
              onSaved={(next) => {
                setEditing(false);
                accept(next, t("households.saved", { name: next.headName }));
              }}
            />
          )}
          <h3>{t("households.membersTitle")}</h3>
          {h.members.length === 0 && <p className="muted">{t("members.none")}</p>}
          <ul className="rows">
            {h.members.map((m) => (
              <MemberRow key={m.id} household={h} member={m} onSaved={accept} />
            ))}
          </ul>
          {h.canWrite &&
            (addingMember ? (
              <MemberEditor
                householdId={h.id}
                onCancel={() => setAddingMember(false)}
                onSaved={(next, name) => {
                  setAddingMember(false);
                  accept(next, t("members.added", { name }));
                }}
              />
            ) : (
              <button type="button" onClick={() => setAddingMember(true)} style={{ alignSelf: "flex-start" }}>
                {t("members.add")}
              </button>
            ))}
        </>
      )}
    </section>
  );
}

function HouseholdEditForm({
  household,
  onSaved,
  onCancel,
}: {
  household: HouseholdDetail;
  onSaved: (h: HouseholdDetail) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [form, setForm] = useState<HouseholdDraft>({
    headName: household.headName,
    address: household.address ?? "",
    isPoor: household.isPoor,
    isNearPoor: household.isNearPoor,
    isEthnicMinority: household.isEthnicMinority,
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = pathErrors(error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      onSaved(
        await api.patch<HouseholdDetail>(`/api/v1/households/${household.id}`, {
          headName: form.headName,
          address: form.address.trim() ? form.address : null,
          isPoor: form.isPoor,
          isNearPoor: form.isNearPoor,
          isEthnicMinority: form.isEthnicMinority,
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-label={t("households.form.editTitle")}>
      <ErrorBox error={error} />
      <TextField
        label={t("households.headName")}
        value={form.headName}
        maxLength={120}
        error={errors.headName}
        onChange={(e) => setForm((f) => ({ ...f, headName: e.target.value }))}
      />
      <TextField
        label={t("households.address")}
        value={form.address}
        maxLength={200}
        error={errors.address}
        onChange={(e) => setForm((f) => ({ ...f, address: e.target.value }))}
      />
      <PovertyFields {...form} errors={errors} onChange={(patch) => setForm((f) => ({ ...f, ...patch }))} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("registry.save")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("registry.cancel")}
        </button>
      </div>
    </form>
  );
}

function MemberRow({
  household,
  member,
  onSaved,
}: {
  household: HouseholdDetail;
  member: MemberView;
  onSaved: (h: HouseholdDetail, message: string) => void;
}) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sexLabel =
    member.sex === "male" ? t("members.male") : member.sex === "female" ? t("members.female") : null;

  async function remove() {
    if (!window.confirm(t("members.removeConfirm", { name: member.fullName }))) return;
    setError(null);
    try {
      const next = await api.delete<HouseholdDetail>(
        `/api/v1/households/${household.id}/members/${member.id}`,
      );
      onSaved(next, t("members.removed", { name: member.fullName }));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <li>
      <span className="row-main">
        <strong>{member.fullName}</strong>
        {member.isHead && (
          <span className="badge badge-ok" style={{ marginLeft: "0.25rem" }}>
            {t("members.head")}
          </span>
        )}
      </span>
      <span className="muted">
        {[
          member.birthYear !== null && t("members.born", { year: member.birthYear }),
          sexLabel,
          member.ethnicity,
          member.nationalIdMasked && `CCCD ${member.nationalIdMasked}`,
        ]
          .filter(Boolean)
          .join(" · ")}
      </span>
      <ErrorBox error={error} />
      {household.canWrite && !editing && (
        <span className="actions">
          <button
            type="button"
            aria-label={t("members.editLabel", { name: member.fullName })}
            onClick={() => setEditing(true)}
          >
            {t("members.edit")}
          </button>
          <button
            type="button"
            aria-label={t("members.removeLabel", { name: member.fullName })}
            onClick={remove}
          >
            {t("members.remove")}
          </button>
        </span>
      )}
      {editing && (
        <MemberEditor
          householdId={household.id}
          member={member}
          onCancel={() => setEditing(false)}
          onSaved={(next, name) => {
            setEditing(false);
            onSaved(next, t("members.saved", { name }));
          }}
        />
      )}
    </li>
  );
}

/** Add a member to a household, or edit one. */
function MemberEditor({
  householdId,
  member,
  onSaved,
  onCancel,
}: {
  householdId: number;
  member?: MemberView;
  onSaved: (h: HouseholdDetail, name: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [value, setValue] = useState<Omit<MemberDraft, "key">>({
    fullName: member?.fullName ?? "",
    birthYear: member?.birthYear?.toString() ?? "",
    sex: member?.sex ?? "",
    ethnicity: member?.ethnicity ?? "",
    nationalId: "",
    isHead: member?.isHead ?? false,
  });
  const [erase, setErase] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = pathErrors(error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const base = memberBody({ ...value, key: 0 });
      const next = member
        ? await api.patch<HouseholdDetail>(`/api/v1/households/${householdId}/members/${member.id}`, {
            fullName: value.fullName,
            birthYear: base.birthYear,
            sex: value.sex || null,
            ethnicity: value.ethnicity.trim() ? value.ethnicity : null,
            isHead: value.isHead,
            ...(erase
              ? { nationalId: null }
              : value.nationalId.trim()
                ? { nationalId: value.nationalId }
                : {}),
          })
        : await api.post<HouseholdDetail>(`/api/v1/households/${householdId}/members`, base);
      onSaved(next, value.fullName.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card"
      onSubmit={onSubmit}
      noValidate
      aria-label={member ? t("members.editLabel", { name: member.fullName }) : t("members.add")}
    >
      <ErrorBox error={error} />
      <MemberFields
        value={value}
        errors={errors}
        nationalIdNote={
          member?.nationalIdMasked
            ? t("members.nationalIdOnRecord", { masked: member.nationalIdMasked })
            : undefined
        }
        onChange={(patch) => setValue((v) => ({ ...v, ...patch }))}
      >
        {member?.nationalIdMasked && (
          <CheckField label={t("members.eraseNationalId")} checked={erase} onChange={setErase} />
        )}
      </MemberFields>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("registry.save")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("registry.cancel")}
        </button>
      </div>
    </form>
  );
}
