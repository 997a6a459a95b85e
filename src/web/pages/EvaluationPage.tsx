import { type FormEvent, useEffect, useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { formatDateShort, formatDecimal } from "../../domain/format.ts";
import type { Criterion, FrameworkDefinition } from "../../domain/learning-models/framework.ts";
import { type Answers, scoreAssessment } from "../../domain/learning-models/scoring.ts";
import { ApiError, api } from "../api.ts";
import { type DecisionAction, DecisionPanel } from "../components/DecisionPanel.tsx";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { describedBy, FieldNotes } from "../components/fields.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { EvaluationDetail } from "../types.ts";
import "./learning-models.css";

/** What the user has typed: numbers as text (so "7," is not lost while typing), yes/no as booleans. */
type Draft = Record<string, string | boolean | null>;

const storageKey = (id: number) => `xhht.evaluation.${id}`;

function toDraft(answers: Answers): Draft {
  const draft: Draft = {};
  for (const [code, value] of Object.entries(answers))
    draft[code] = typeof value === "number" ? String(value) : value;
  return draft;
}

function toAnswers(draft: Draft): Answers {
  const answers: Answers = {};
  for (const [code, value] of Object.entries(draft)) {
    if (value === null || value === "") continue;
    answers[code] = typeof value === "boolean" ? value : Number(value.replace(",", "."));
  }
  return answers;
}

/** One self-assessment: the criteria form with the running total and rating, review and decision. */
export function EvaluationPage() {
  const id = Number(useParams().id);
  const loaded = useLoad(() => api.get<EvaluationDetail>(`/api/v1/evaluations/${id}`), [id]);
  // Kept here: the form below is rebuilt from the server's copy after each save.
  const [notice, setNotice] = useState<string | null>(null);
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data || loaded.data.id !== id) return <Loading />;
  return (
    <EvaluationForm
      key={`${loaded.data.id}:${loaded.data.updatedAt}`}
      evaluation={loaded.data}
      onChanged={loaded.reload}
      notice={notice}
      setNotice={setNotice}
    />
  );
}

function EvaluationForm({
  evaluation,
  onChanged,
  notice,
  setNotice,
}: {
  evaluation: EvaluationDetail;
  onChanged: () => void;
  notice: string | null;
  setNotice: (notice: string | null) => void;
}) {
  const t = useT();
  const definition = evaluation.framework.definition as FrameworkDefinition;
  const saved = useMemo(() => toDraft(evaluation.answers), [evaluation.answers]);
  const [draft, setDraft] = useState<Draft>(saved);
  const [restored, setRestored] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [action, setAction] = useState<DecisionAction | null>(null);
  const editable = evaluation.can.edit;

  // Typed answers survive a dropped connection or a closed tab: they are kept on this device
  // until the server has them.
  useEffect(() => {
    if (!editable) return;
    const local = localStorage.getItem(storageKey(evaluation.id));
    if (!local) return;
    try {
      const parsed = JSON.parse(local) as Draft;
      if (JSON.stringify(parsed) !== JSON.stringify(saved)) {
        setDraft(parsed);
        setRestored(true);
      }
    } catch {
      localStorage.removeItem(storageKey(evaluation.id));
    }
  }, [editable, evaluation.id, saved]);

  function update(code: string, value: string | boolean | null) {
    setDraft((d) => {
      const next = { ...d, [code]: value };
      localStorage.setItem(storageKey(evaluation.id), JSON.stringify(next));
      return next;
    });
  }

  const answers = toAnswers(draft);
  const score = scoreAssessment(definition, answers, evaluation.derived);
  const answerErrors: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const e of error.problem.errors ?? []) {
      if (e.field.startsWith("answers.")) answerErrors[e.field.slice("answers.".length)] = e.message;
    }
  }

  async function save(submit: boolean, event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.put(`/api/v1/evaluations/${evaluation.id}/answers`, { answers, submit });
      localStorage.removeItem(storageKey(evaluation.id));
      setNotice(submit ? t("evaluation.submitted") : t("evaluation.saved"));
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const statusClass = evaluation.status === "recognised" ? "badge badge-ok" : "badge";
  const decisionActions: DecisionAction[] = [
    ...(evaluation.can.review && evaluation.status === "submitted" ? (["accept", "return"] as const) : []),
    ...(evaluation.can.review && evaluation.status === "accepted" ? (["return"] as const) : []),
    ...(evaluation.can.decide && ["submitted", "accepted"].includes(evaluation.status)
      ? (["recognise", "reject"] as const)
      : []),
    ...(evaluation.can.decide && ["recognised", "rejected"].includes(evaluation.status)
      ? (["revoke"] as const)
      : []),
  ];

  return (
    <div className="page evaluation">
      <nav className="breadcrumb" aria-label={t("orgUnits.breadcrumb")}>
        <ol>
          <li>
            <Link
              to={`/org-units/${evaluation.orgUnit.id}/evaluations?model=${evaluation.model}&year=${evaluation.year}`}
            >
              {t("evaluation.back")} · {evaluation.orgUnit.name}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>{evaluation.subjectName}</h1>
      <p className="muted">
        {t(`model.${evaluation.model}`)} · {evaluation.year} ·{" "}
        <span className={statusClass}>{t(`status.${evaluation.status}`)}</span>
      </p>
      <p className="muted">
        {t("evaluation.framework", { title: definition.title, version: evaluation.framework.version })}
      </p>
      {definition.legalBasis.unknowns.length > 0 && <p className="warning">{t("evaluation.provisional")}</p>}
      {evaluation.status === "returned" && evaluation.reviewComment && (
        <p className="warning">{t("evaluation.returnedComment", { comment: evaluation.reviewComment })}</p>
      )}
      {evaluation.status === "rejected" && evaluation.rejectReason && (
        <p className="warning">{t("evaluation.rejectReason", { reason: evaluation.rejectReason })}</p>
      )}
      {evaluation.status === "recognised" && evaluation.decisionNumber && (
        <p className="notice">
          {t("evaluation.decision", {
            number: evaluation.decisionNumber,
            date: evaluation.decisionDate ? formatDateShort(evaluation.decisionDate) : "",
            issuer: evaluation.decisionIssuer ?? "",
          })}
        </p>
      )}
      {restored && (
        <div className="warning">
          {t("evaluation.restored")}{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              localStorage.removeItem(storageKey(evaluation.id));
              setDraft(saved);
              setRestored(false);
            }}
          >
            {t("evaluation.discardLocal")}
          </button>
        </div>
      )}

      <form onSubmit={(e) => save(false, e)} noValidate className="criteria-form">
        {definition.groups.map((group) => (
          <fieldset key={group.code} className="card">
            <legend>
              {t("evaluation.groupTitle", { code: group.code, title: group.title, max: group.maxPoints })}
            </legend>
            {group.criteria.map((criterion) => (
              <CriterionInput
                key={criterion.code}
                criterion={criterion}
                value={draft[criterion.code] ?? null}
                derived={criterion.derivedFrom ? (evaluation.derived[criterion.derivedFrom] ?? null) : null}
                points={score.points[criterion.code] ?? 0}
                error={answerErrors[criterion.code]}
                disabled={!editable}
                onChange={(value) => update(criterion.code, value)}
              />
            ))}
          </fieldset>
        ))}

        <div className="score-panel" role="status" aria-live="polite">
          <strong>{t("evaluation.total", { total: score.total, max: score.maxTotal })}</strong>
          <span>
            {t(evaluation.status === "recognised" ? "evaluation.ratingFinal" : "evaluation.rating", {
              rating: score.rating.label,
            })}
          </span>
          {editable && score.unanswered.length > 0 && (
            <small>{t("evaluation.unanswered", { count: score.unanswered.length })}</small>
          )}
          {score.mandatoryUnmet.length > 0 && (
            <small>{t("evaluation.mandatoryUnmet", { codes: score.mandatoryUnmet.join(", ") })}</small>
          )}
        </div>
        <Notice>{notice}</Notice>
        <ErrorBox error={error} />
        {editable && (
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t("evaluation.saveDraft")}
            </button>
            <button type="button" className="primary" disabled={busy} onClick={() => save(true)}>
              {t("evaluation.submit")}
            </button>
          </div>
        )}
      </form>

      {decisionActions.length > 0 && (
        <section className="card" aria-label={t("evaluation.reviewTitle")}>
          <h2>{t("evaluation.reviewTitle")}</h2>
          {action ? (
            <DecisionPanel
              ids={[evaluation.id]}
              action={action}
              defaultIssuer=""
              onCancel={() => setAction(null)}
              onDone={() => {
                setAction(null);
                setNotice(t("evaluation.done"));
                onChanged();
              }}
            />
          ) : (
            <div className="actions">
              {decisionActions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={a === "recognise" || a === "accept" ? "primary" : ""}
                  onClick={() => setAction(a)}
                >
                  {t(`evaluations.${a}`)}
                </button>
              ))}
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function CriterionInput({
  criterion,
  value,
  derived,
  points,
  error,
  disabled,
  onChange,
}: {
  criterion: Criterion;
  value: string | boolean | null;
  derived: number | null;
  points: number;
  error: string | undefined;
  disabled: boolean;
  onChange: (value: string | boolean | null) => void;
}) {
  const t = useT();
  const id = `criterion-${criterion.code}`;
  const label = `${criterion.code}. ${criterion.text}`;
  const input = criterion.input;
  const steps =
    input.kind === "count" || input.kind === "percentage"
      ? t("evaluation.steps", {
          steps: input.steps
            .map((s) => t("evaluation.step", { atLeast: s.atLeast, points: s.points }))
            .join("; "),
        })
      : undefined;
  const hint = [
    t("evaluation.criterionHint", { max: criterion.maxPoints }),
    criterion.mandatory ? t("evaluation.mandatory") : "",
    steps,
  ]
    .filter(Boolean)
    .join(" · ");

  if (criterion.derivedFrom) {
    return (
      <div className="field criterion">
        <span className="criterion-label">{label}</span>
        <p className="hint">{hint}</p>
        <p className="derived">
          {derived === null
            ? t("evaluation.derivedUnknown")
            : t("evaluation.derived", { value: `${formatDecimal(derived, 2)}%` })}{" "}
          → <strong>{points}</strong>
        </p>
      </div>
    );
  }
  if (input.kind === "yes_no") {
    return (
      <fieldset
        className={error ? "field criterion field-invalid" : "field criterion"}
        aria-describedby={describedBy(id, hint, error)}
      >
        <legend className="criterion-label">{label}</legend>
        <div className="choice">
          {([true, false] as const).map((choice) => (
            <label key={String(choice)} className="check">
              <input
                type="radio"
                name={id}
                checked={value === choice}
                disabled={disabled}
                onChange={() => onChange(choice)}
              />
              {choice ? t("evaluation.yes") : t("evaluation.no")}
            </label>
          ))}
          <span className="points">{value === null ? t("evaluation.notAnswered") : `→ ${points}`}</span>
        </div>
        <FieldNotes id={id} hint={hint} error={error} />
      </fieldset>
    );
  }
  return (
    <div className={error ? "field criterion field-invalid" : "field criterion"}>
      <label htmlFor={id} className="criterion-label">
        {label}
      </label>
      <div className="choice">
        <input
          id={id}
          type="text"
          inputMode={input.kind === "percentage" ? "decimal" : "numeric"}
          className="score-input"
          value={typeof value === "string" ? value : ""}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(e) => onChange(e.target.value.trim() === "" ? null : e.target.value)}
        />
        {input.kind === "percentage" && <span>%</span>}
        {input.kind !== "points" && <span className="points">→ {points}</span>}
      </div>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}
