import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { OrgUnitDetail } from "../types.ts";
import { type FundDetail, type FundSummary, MoneyField, money, useMoneyCheck } from "./FundParts.tsx";

/** "Quỹ khuyến học" in the menu: the funds of the units the user is assigned to. */
export function FundsHomePage() {
  const t = useT();
  const { user } = useSession();
  const scopes = user?.scopes ?? [];
  if (scopes.length === 1 && scopes[0]) return <Navigate to={`/org-units/${scopes[0].id}/funds`} replace />;
  return (
    <div className="page">
      <h1>{t("fund.title")}</h1>
      <p className="muted">{t("fund.home.intro")}</p>
      <ul className="rows">
        {scopes.map((s) => (
          <li key={s.id}>
            <span className="row-main">
              <Link to={`/org-units/${s.id}/funds`}>{s.name}</Link>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The funds of one unit: balances, opening a fund, and the way to the roll-up of the units below. */
export function FundsPage() {
  const t = useT();
  const { can, user } = useSession();
  const unitId = Number(useParams().id);
  const unit = useLoad(() => api.get<OrgUnitDetail>(`/api/v1/org-units/${unitId}`), [unitId]);
  const funds = useLoad(
    () => api.get<FundSummary[]>(`/api/v1/funds${query({ orgUnitId: unitId })}`),
    [unitId],
  );
  if (unit.error) return <ErrorBox error={unit.error} />;
  if (!unit.data) return <Loading />;
  const u = unit.data;
  const inScope = user?.scopes.some((s) => u.path.startsWith(s.path)) ?? false;
  const hasGeneral = funds.data?.some((f) => f.kind === "general") ?? true;
  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t("orgUnits.breadcrumb")}>
        <ol>
          <li>
            <Link to={`/org-units/${u.id}`}>{u.name}</Link>
          </li>
        </ol>
      </nav>
      <h1>{t("fund.unit.title", { name: u.name })}</h1>
      {u.childCount > 0 && (
        <p>
          <Link className="fund-big-link" to={`/org-units/${u.id}/funds/summary`}>
            {t("fund.summary.link")}
          </Link>
        </p>
      )}
      <ErrorBox error={funds.error} />
      {funds.data && funds.data.length === 0 && <p className="muted">{t("fund.unit.none")}</p>}
      <ul className="rows fund-list">
        {funds.data?.map((f) => (
          <li key={f.id}>
            <span className="row-main">
              <Link to={`/funds/${f.id}`}>{f.name}</Link>
            </span>
            <span className="fund-balance">
              {t("fund.balanceShort", { amount: money(f.balance) })}
              {f.lastClosedYear !== null && (
                <span className="muted"> · {t("fund.closedThrough", { year: f.lastClosedYear })}</span>
              )}
            </span>
          </li>
        ))}
      </ul>
      {can("fund.manage") && inScope && u.current && funds.data && (
        <CreateFundForm unitId={u.id} unitName={u.name} hasGeneral={hasGeneral} />
      )}
    </div>
  );
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

function CreateFundForm({
  unitId,
  unitName,
  hasGeneral,
}: {
  unitId: number;
  unitName: string;
  hasGeneral: boolean;
}) {
  const t = useT();
  const navigate = useNavigate();
  const check = useMoneyCheck();
  const currentYear = Number(todayInVietnam().slice(0, 4));
  const [form, setForm] = useState({
    kind: hasGeneral ? "named" : "general",
    name: "",
    fiscalYearStartMonth: "1",
    startYear: String(currentYear),
    openingBalance: "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const local: Record<string, string> = {};
    let opening: number | undefined;
    if (form.openingBalance.trim() !== "" && form.openingBalance.trim() !== "0") {
      const c = check(form.openingBalance);
      if ("error" in c) local.openingBalance = c.error;
      else opening = c.value;
    }
    if (form.kind === "named" && !form.name.trim()) local.name = t("fund.create.nameRequired");
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const fund = await api.post<FundDetail>("/api/v1/funds", {
        orgUnitId: unitId,
        kind: form.kind,
        ...(form.name.trim() ? { name: form.name } : {}),
        fiscalYearStartMonth: Number(form.fiscalYearStartMonth),
        startYear: Number(form.startYear),
        ...(opening !== undefined ? { openingBalance: opening } : {}),
      });
      navigate(`/funds/${fund.id}`);
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setErrors(e.fieldErrors);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate>
      <h2>{hasGeneral ? t("fund.create.namedTitle") : t("fund.create.generalTitle")}</h2>
      <ErrorBox error={error} />
      {!hasGeneral && (
        <SelectField label={t("fund.create.kind")} value={form.kind} onChange={set("kind")}>
          <option value="general">{t("fund.kind.general")}</option>
          <option value="named">{t("fund.kind.named")}</option>
        </SelectField>
      )}
      <TextField
        label={form.kind === "general" ? t("fund.create.nameOptional") : t("fund.create.name")}
        value={form.name}
        maxLength={200}
        placeholder={form.kind === "general" ? t("fund.create.defaultName", { unit: unitName }) : ""}
        hint={form.kind === "named" ? t("fund.create.nameHint") : undefined}
        error={errors.name}
        onChange={set("name")}
      />
      <div className="filters">
        <SelectField
          label={t("fund.create.startMonth")}
          value={form.fiscalYearStartMonth}
          hint={t("fund.create.startMonthHint")}
          onChange={set("fiscalYearStartMonth")}
        >
          {MONTHS.map((m) => (
            <option key={m} value={m}>
              {t("fund.create.month", { month: m })}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("fund.create.startYear")}
          value={form.startYear}
          error={errors.startYear}
          onChange={set("startYear")}
        >
          {Array.from({ length: 8 }, (_, i) => currentYear - i).map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
      </div>
      <MoneyField
        label={t("fund.create.opening")}
        hint={t("fund.create.openingHint")}
        value={form.openingBalance}
        error={errors.openingBalance}
        onValue={(v) => setForm((f) => ({ ...f, openingBalance: v }))}
      />
      <button type="submit" className="primary" disabled={busy}>
        {t("fund.create.submit")}
      </button>
    </form>
  );
}
