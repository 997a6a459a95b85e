import { Link } from "react-router";
import { MODELS, type Model } from "../../domain/learning-models/framework.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading } from "../components/feedback.tsx";
import { SelectField } from "../components/fields.tsx";
import {
  modelLabel,
  ProvisionalBadge,
  StatusBadge,
  scopeLabel,
  yearsLabel,
} from "../components/framework-text.tsx";
import { useFilterParams, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { FrameworkSummary } from "../types.ts";

const STATUSES: FrameworkSummary["status"][] = ["published", "draft", "retired"];

function isModel(value: string | null): value is Model {
  return value !== null && (MODELS as readonly string[]).includes(value);
}

/** The criteria frameworks (bộ tiêu chí), grouped by learning model, national and provincial. */
export function FrameworksPage() {
  const t = useT();
  const [params, setParams] = useFilterParams();
  const modelParam = params.get("model");
  const model = isModel(modelParam) ? modelParam : "";
  const statusParam = params.get("status");
  const status = STATUSES.find((s) => s === statusParam) ?? "";
  const list = useLoad(
    () => api.get<FrameworkSummary[]>(`/api/v1/frameworks${query({ model, status })}`),
    [model, status],
  );

  function setFilter(name: "model" | "status", value: string) {
    setParams({ [name]: value });
  }

  const items = list.data ?? [];
  const models = MODELS.filter((m) => items.some((f) => f.model === m));
  return (
    <div className="page">
      <h1>{t("frameworks.title")}</h1>
      <p className="muted">{t("frameworks.intro")}</p>
      <div className="filters">
        <SelectField
          label={t("frameworks.filterModel")}
          value={model}
          onChange={(e) => setFilter("model", e.target.value)}
        >
          <option value="">{t("frameworks.filterAllModels")}</option>
          {MODELS.map((m) => (
            <option key={m} value={m}>
              {modelLabel(m, t)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("frameworks.filterStatus")}
          value={status}
          onChange={(e) => setFilter("status", e.target.value)}
        >
          <option value="">{t("frameworks.filterAllStatuses")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`frameworks.status.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <ErrorBox error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && items.length === 0 && <p className="muted">{t("frameworks.none")}</p>}
      {models.map((m) => (
        <section key={m} className="card" aria-labelledby={`fw-model-${m}`}>
          <h2 id={`fw-model-${m}`}>{modelLabel(m, t)}</h2>
          <ul className="rows">
            {items
              .filter((f) => f.model === m)
              .map((f) => (
                <FrameworkRow key={f.id} framework={f} />
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function FrameworkRow({ framework: f }: { framework: FrameworkSummary }) {
  const t = useT();
  const facts = [
    t("frameworks.version", { version: f.version }),
    scopeLabel(f.province, t),
    yearsLabel(f.effectiveFromYear, f.effectiveToYear, t),
    f.citizenGroup !== null ? t("frameworks.citizenGroup", { group: f.citizenGroup }) : null,
    f.evaluationCount > 0
      ? t("frameworks.evaluations", { count: f.evaluationCount })
      : t("frameworks.noEvaluations"),
  ].filter(Boolean);
  return (
    <li className="fw-row">
      <span className="row-main">
        <Link to={`/frameworks/${f.id}`}>{f.title}</Link>
      </span>
      <span className="fw-badges">
        <StatusBadge status={f.status} />
        {f.provisional && <ProvisionalBadge />}
      </span>
      <span className="muted">{facts.join(" · ")}</span>
    </li>
  );
}
