import { useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { EVALUATION_STATUSES } from "../../domain/learning-models/cycle.ts";
import { MODELS, type Model } from "../../domain/learning-models/framework.ts";
import { api, query } from "../api.ts";
import { type DecisionAction, DecisionPanel } from "../components/DecisionPanel.tsx";
import { ErrorBox, Loading, Notice, Pager } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { useDebounced, useFilterParams, useLoad, useSelection } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { EvaluationSummary, OrgUnitDetail, Page, RegisterResult } from "../types.ts";
import "./learning-models.css";

const PAGE_SIZE = 50;

/** The model a unit is most likely about: its households for a village or commune, etc. */
function defaultModel(kind: string | undefined): Model {
  if (kind === "province") return "cdht_xa";
  if (kind && ["agency", "school", "enterprise", "commune_body"].includes(kind)) return "dvht";
  return "gdht";
}

/**
 * The evaluations of one model and year inside a unit: register everyone in one action,
 * follow each one's status, and review or recognise a selection in one go.
 */
export function EvaluationsPage() {
  const t = useT();
  const { can } = useSession();
  const unitId = Number(useParams().id);
  const [params, setParams] = useFilterParams();
  const unit = useLoad(() => api.get<OrgUnitDetail>(`/api/v1/org-units/${unitId}`), [unitId]);
  const currentYear = Number(todayInVietnam().slice(0, 4));
  const model = (MODELS as readonly string[]).includes(params.get("model") ?? "")
    ? (params.get("model") as Model)
    : defaultModel(unit.data?.kind);
  const year = Number(params.get("year")) || currentYear;
  const status = params.get("status") ?? "";
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 300);
  const [page, setPage] = useState(1);
  const { selected, toggle, setAll, clear, allSelected } = useSelection();
  const [action, setAction] = useState<DecisionAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const list = useLoad(
    () =>
      api.get<Page<EvaluationSummary>>(
        `/api/v1/evaluations${query({ orgUnitId: unitId, model, year, status, q, page, pageSize: PAGE_SIZE })}`,
      ),
    [unitId, model, year, status, q, page],
  );

  function setParam(name: string, value: string) {
    const dropsStatus = name === "model" || name === "year";
    setParams(dropsStatus ? { [name]: value, status: null } : { [name]: value });
    setPage(1);
    clear();
    setAction(null);
  }

  async function registerAll() {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const result = await api.post<RegisterResult>("/api/v1/evaluations/register", {
        model,
        year,
        allIn: unitId,
      });
      setNotice(
        t("evaluations.registered", {
          registered: result.registered,
          already: result.alreadyRegistered,
          year,
        }),
      );
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (unit.error) return <ErrorBox error={unit.error} />;
  if (!unit.data) return <Loading />;
  const items = list.data?.items ?? [];
  const canAct = can("evaluation.review") || can("evaluation.decide");
  const allChecked = allSelected(items.map((i) => i.id));
  const years = Array.from({ length: 10 }, (_, i) => currentYear + 1 - i);

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t("orgUnits.breadcrumb")}>
        <ol>
          <li>
            <Link to={`/org-units/${unitId}`}>{unit.data.name}</Link>
          </li>
        </ol>
      </nav>
      <h1>{t("evaluations.title")}</h1>
      <p className="muted">{unit.data.name}</p>
      <div className="filters">
        <SelectField
          label={t("evaluations.model")}
          value={model}
          onChange={(e) => setParam("model", e.target.value)}
        >
          {MODELS.map((m) => (
            <option key={m} value={m}>
              {t(`model.${m}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("evaluations.year")}
          value={String(year)}
          onChange={(e) => setParam("year", e.target.value)}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("evaluations.status")}
          value={status}
          onChange={(e) => setParam("status", e.target.value)}
        >
          <option value="">{t("evaluations.allStatuses")}</option>
          {EVALUATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t("evaluations.search")}
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPage(1);
          }}
        />
      </div>
      {can("evaluation.write") && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={registerAll}>
            {t(`evaluations.registerAll.${model}`)}
          </button>
          {unit.data.kind === "commune" && <ImportLink unitId={unitId} kind="evaluations" />}
        </div>
      )}
      <Notice>{notice}</Notice>
      <ErrorBox error={error ?? list.error} />

      {canAct && selected.size > 0 && !action && (
        <div
          className="bulk-bar"
          role="toolbar"
          aria-label={t("evaluations.selected", { count: selected.size })}
        >
          <span>{t("evaluations.selected", { count: selected.size })}</span>
          {can("evaluation.review") && (
            <>
              <button type="button" onClick={() => setAction("accept")}>
                {t("evaluations.accept")}
              </button>
              <button type="button" onClick={() => setAction("return")}>
                {t("evaluations.return")}
              </button>
            </>
          )}
          {can("evaluation.decide") && (
            <>
              <button type="button" className="primary" onClick={() => setAction("recognise")}>
                {t("evaluations.recognise")}
              </button>
              <button type="button" onClick={() => setAction("reject")}>
                {t("evaluations.reject")}
              </button>
            </>
          )}
        </div>
      )}
      {action && (
        <DecisionPanel
          ids={[...selected]}
          action={action}
          defaultIssuer={t("evaluations.issuerDefault", { unit: unit.data.name })}
          onCancel={() => setAction(null)}
          onDone={(result) => {
            setAction(null);
            clear();
            setNotice(t("evaluations.batchDone", { changed: result.changed, unchanged: result.unchanged }));
            list.reload();
          }}
        />
      )}

      {list.data && <p className="muted">{t("evaluations.count", { count: list.data.total })}</p>}
      {!!list.data?.total && (
        <ListExportLinks path="/api/v1/evaluations" params={{ orgUnitId: unitId, model, year, status, q }} />
      )}
      {list.data && list.data.total === 0 && (
        <p className="muted">{t("evaluations.none", { model: t(`model.${model}`), year })}</p>
      )}
      {canAct && items.length > 0 && (
        <label className="check">
          <input
            type="checkbox"
            checked={allChecked}
            onChange={() => (allChecked ? clear() : setAll(items.map((i) => i.id)))}
          />
          {t("evaluations.selectAll")}
        </label>
      )}
      <ul className="rows">
        {items.map((e) => (
          <li key={e.id} className="evaluation-row">
            <span className="row-main">
              {canAct && (
                <input
                  type="checkbox"
                  aria-label={t("evaluations.select", { name: e.subjectName })}
                  checked={selected.has(e.id)}
                  onChange={() => toggle(e.id)}
                />
              )}
              <Link to={`/evaluations/${e.id}`}>{e.subjectName}</Link>{" "}
              <span className={e.status === "recognised" ? "badge badge-ok" : "badge"}>
                {t(`status.${e.status}`)}
              </span>
            </span>
            <span className="muted">
              {[
                e.orgUnit.id !== unitId ? e.orgUnit.name : "",
                e.total !== null ? t("evaluations.totalPoints", { total: e.total }) : "",
                e.ratingLabel ?? "",
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
