/**
 * The live preview beside the editor: the consistency problems of what is typed, and a scratch
 * assessment ("Thử chấm điểm") scored with the same pure function the server uses.
 */
import { useId, useState } from "react";
import type {
  Criterion,
  DerivedSource,
  FrameworkDefinition,
} from "../../domain/learning-models/framework.ts";
import { type AnswerValue, criterionPoints, scoreAssessment } from "../../domain/learning-models/scoring.ts";
import { useT } from "../i18n/index.tsx";
import { describedBy } from "./fields.tsx";
import type { DefinitionProblem } from "./framework-api.tsx";
import { NumberInput } from "./framework-fields.tsx";
import { derivedLabel, fieldLabel, formatNumber, type Path, pathId } from "./framework-text.tsx";

/** Move the focus to the input of a problem (or the nearest enclosing part of the form). */
export function focusField(path: Path) {
  for (let n = path.length; n > 0; n--) {
    const base = pathId(path.slice(0, n));
    for (const id of [base, `${base}-atLeast`]) {
      const element = document.getElementById(id);
      if (element) {
        element.focus();
        element.scrollIntoView({ block: "center" });
        return;
      }
    }
  }
}

export function ProblemList({
  problems,
  definition,
}: {
  problems: DefinitionProblem[];
  definition: FrameworkDefinition;
}) {
  const t = useT();
  return (
    <section className="card fw-problems" aria-labelledby="fw-problems-heading">
      <h2 id="fw-problems-heading">{t("frameworks.problems.heading")}</h2>
      <p className={problems.length ? "error" : "fw-ok"} aria-live="polite">
        {problems.length
          ? t("frameworks.problems.count", { count: problems.length })
          : t("frameworks.problems.none")}
      </p>
      {problems.length > 0 && (
        <ul className="fw-problem-list">
          {problems.map((p) => (
            <li key={`${p.path.join(".")}|${p.message}`}>
              <button type="button" className="link-button" onClick={() => focusField(p.path)}>
                <span className="fw-problem-field">{fieldLabel(definition, p.path, t)}</span>
                <span>{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Answers = Record<string, AnswerValue>;

/** Scratch answers to see the total and the rating change as points change. Nothing is saved. */
export function TryScoring({ definition }: { definition: FrameworkDefinition }) {
  const t = useT();
  const [answers, setAnswers] = useState<Answers>({});
  const [derived, setDerived] = useState<Partial<Record<DerivedSource, number>>>({});
  let score: ReturnType<typeof scoreAssessment> | null = null;
  try {
    score = scoreAssessment(definition, answers, derived);
  } catch {
    score = null;
  }
  const total = score ? formatNumber(score.total) : "—";
  const max = score ? formatNumber(score.maxTotal) : "—";
  return (
    <section className="card fw-try" aria-labelledby="fw-try-heading">
      <h2 id="fw-try-heading">{t("frameworks.try.heading")}</h2>
      <p className="muted">{t("frameworks.try.intro")}</p>
      <div className="fw-score" role="status" aria-live="polite">
        <span className="fw-score-total">{t("frameworks.try.total", { total, max })}</span>{" "}
        <span className={score?.rating.passing ? "badge badge-ok fw-score-rating" : "badge fw-score-rating"}>
          {t("frameworks.try.rating", { label: score?.rating.label ?? "—" })}
        </span>
      </div>
      {score && score.mandatoryUnmet.length > 0 && (
        <p className="muted">
          {t("frameworks.try.mandatoryUnmet", { codes: score.mandatoryUnmet.join(", ") })}
        </p>
      )}
      {score?.groups.some((g) => g.belowMinimum) && (
        <p className="muted">
          {t("frameworks.try.belowMinimum", {
            codes: score.groups
              .filter((g) => g.belowMinimum)
              .map((g) => g.code)
              .join(", "),
          })}
        </p>
      )}
      {definition.groups.map((group, gi) => {
        const groupScore = score?.groups[gi];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: groups are being edited; codes may repeat.
          <div key={gi} className="fw-try-group">
            <h3>
              {t("frameworks.try.group", {
                code: group.code,
                title: group.title,
                points: groupScore ? formatNumber(groupScore.points) : "—",
                max: formatNumber(group.maxPoints),
              })}
            </h3>
            {group.criteria.map((criterion, ci) => (
              <TryCriterion
                // biome-ignore lint/suspicious/noArrayIndexKey: criteria are being edited; codes may repeat.
                key={ci}
                criterion={criterion}
                value={
                  criterion.derivedFrom ? (derived[criterion.derivedFrom] ?? null) : answers[criterion.code]
                }
                onChange={(value) => {
                  const source = criterion.derivedFrom;
                  if (source) {
                    setDerived((d) => {
                      const next = { ...d };
                      if (typeof value === "number") next[source] = value;
                      else delete next[source];
                      return next;
                    });
                  } else {
                    setAnswers((a) => ({ ...a, [criterion.code]: value }));
                  }
                }}
              />
            ))}
          </div>
        );
      })}
      <button
        type="button"
        className="fw-try-clear"
        onClick={() => {
          setAnswers({});
          setDerived({});
        }}
      >
        {t("frameworks.try.clear")}
      </button>
    </section>
  );
}

function TryCriterion({
  criterion,
  value,
  onChange,
}: {
  criterion: Criterion;
  value: AnswerValue | undefined;
  onChange: (value: AnswerValue) => void;
}) {
  const t = useT();
  const id = useId();
  const earned = criterionPoints(criterion, value);
  const hint = criterion.derivedFrom
    ? t("frameworks.try.derivedHint", { source: derivedLabel(criterion.derivedFrom, t) })
    : criterion.text;
  const max = formatNumber(criterion.maxPoints);
  const label = criterion.derivedFrom
    ? t("frameworks.try.labelDerived", { code: criterion.code })
    : criterion.input.kind === "points"
      ? t("frameworks.try.labelPoints", { code: criterion.code, max })
      : criterion.input.kind === "yes_no"
        ? t("frameworks.try.labelYesNo", { code: criterion.code, max })
        : criterion.input.kind === "count"
          ? t("frameworks.try.labelCount", {
              code: criterion.code,
              unit: criterion.input.unit ? ` (${criterion.input.unit})` : "",
            })
          : t("frameworks.try.labelPercent", { code: criterion.code });
  return (
    <div className="field fw-try-row">
      <label htmlFor={id}>{label}</label>
      <p className="hint fw-try-hint" id={`${id}-hint`}>
        {hint}
      </p>
      <div className="fw-try-input">
        {criterion.input.kind === "yes_no" && !criterion.derivedFrom ? (
          <select
            id={id}
            aria-describedby={describedBy(id, hint)}
            value={value === true ? "yes" : value === false ? "no" : ""}
            onChange={(e) => onChange(e.target.value === "" ? null : e.target.value === "yes")}
          >
            <option value="">{t("frameworks.try.unanswered")}</option>
            <option value="yes">{t("frameworks.try.yes")}</option>
            <option value="no">{t("frameworks.try.no")}</option>
          </select>
        ) : (
          <NumberInput
            id={id}
            integer={criterion.input.kind !== "percentage"}
            aria-describedby={describedBy(id, hint)}
            value={typeof value === "number" ? value : null}
            onValue={(n) => onChange(n === null || Number.isNaN(n) ? null : n)}
          />
        )}
        <span className="fw-try-earned" aria-hidden="true">
          {earned === null
            ? t("frameworks.try.noPoints", { max })
            : t("frameworks.try.earned", { points: formatNumber(earned), max })}
        </span>
      </div>
    </div>
  );
}
