/** A criteria framework read as a document: legal basis, what is unverified, criteria, rating rules. */

import { formatDateShort } from "../../domain/format.ts";
import type { FrameworkDefinition } from "../../domain/learning-models/framework.ts";
import { maxTotal } from "../../domain/learning-models/framework.ts";
import { useT } from "../i18n/index.tsx";
import { derivedLabel, formatNumber, inputDescription, ratingRule } from "./framework-text.tsx";

type LegalBasis = FrameworkDefinition["legalBasis"];

/** "Những điểm chưa xác minh": shown before anything else so nobody mistakes a placeholder for the text. */
export function UnknownsSection({ unknowns }: { unknowns: string[] }) {
  const t = useT();
  if (unknowns.length === 0) return null;
  return (
    <section className="card fw-unknowns" aria-labelledby="fw-unknowns-heading">
      <h2 id="fw-unknowns-heading">{t("frameworks.unknownsHeading")}</h2>
      <p className="fw-lead">{t("frameworks.unknownsIntro")}</p>
      <ol>
        {unknowns.map((u, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, read only.
          <li key={i}>{u}</li>
        ))}
      </ol>
    </section>
  );
}

function SourceLink({ source }: { source: string }) {
  if (/^https?:\/\//i.test(source))
    return (
      <a href={source} target="_blank" rel="noopener noreferrer">
        {source}
      </a>
    );
  return <>{source}</>;
}

export function LegalBasisSection({ legal }: { legal: LegalBasis }) {
  const t = useT();
  const unknown = t("frameworks.legal.unknownValue");
  return (
    <section className="card" aria-labelledby="fw-legal-heading">
      <h2 id="fw-legal-heading">{t("frameworks.legal.heading")}</h2>
      <dl className="facts">
        <dt>{t("frameworks.legal.documentNumber")}</dt>
        <dd>{legal.documentNumber ?? unknown}</dd>
        <dt>{t("frameworks.legal.documentDate")}</dt>
        <dd>{legal.documentDate ? formatDateShort(legal.documentDate) : unknown}</dd>
        <dt>{t("frameworks.legal.issuer")}</dt>
        <dd>{legal.issuer ?? unknown}</dd>
        <dt>{t("frameworks.legal.title")}</dt>
        <dd>{legal.title ?? unknown}</dd>
      </dl>
      {legal.notes && <p className="fw-notes">{legal.notes}</p>}
      {legal.sources.length > 0 && (
        <>
          <h3>{t("frameworks.legal.sources")}</h3>
          <ul className="fw-sources">
            {legal.sources.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, read only.
              <li key={i}>
                <SourceLink source={s} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The criteria, one table per group (stacked into cards on a phone). */
export function CriteriaSection({ definition }: { definition: FrameworkDefinition }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="fw-criteria-heading">
      <h2 id="fw-criteria-heading">{t("frameworks.criteriaHeading")}</h2>
      <p className="muted">{t("frameworks.maxTotal", { points: formatNumber(maxTotal(definition)) })}</p>
      {definition.groups.map((group) => (
        <div key={group.code} className="fw-group">
          <h3>
            {t("frameworks.groupHeading", {
              code: group.code,
              title: group.title,
              points: formatNumber(group.maxPoints),
            })}
          </h3>
          {group.minPoints !== undefined && (
            <p className="muted">{t("frameworks.groupMinimum", { points: formatNumber(group.minPoints) })}</p>
          )}
          <table className="fw-criteria">
            <thead>
              <tr>
                <th scope="col">{t("frameworks.col.code")}</th>
                <th scope="col">{t("frameworks.col.text")}</th>
                <th scope="col">{t("frameworks.col.maxPoints")}</th>
                <th scope="col">{t("frameworks.col.kind")}</th>
              </tr>
            </thead>
            <tbody>
              {group.criteria.map((c) => (
                <tr key={c.code}>
                  <td data-label={t("frameworks.col.code")} className="nowrap">
                    <strong>{c.code}</strong>
                  </td>
                  <td data-label={t("frameworks.col.text")}>
                    {c.text}
                    {(c.mandatory || c.derivedFrom) && (
                      <span className="fw-criterion-tags">
                        {c.mandatory && (
                          <span className="badge fw-badge-draft">{t("frameworks.mandatory")}</span>
                        )}
                        {c.derivedFrom && (
                          <span className="fw-derived">
                            {t("frameworks.derivedFrom", { source: derivedLabel(c.derivedFrom, t) })}
                          </span>
                        )}
                      </span>
                    )}
                    {c.guidance && <span className="fw-guidance">{c.guidance}</span>}
                  </td>
                  <td data-label={t("frameworks.col.maxPoints")}>{formatNumber(c.maxPoints)}</td>
                  <td data-label={t("frameworks.col.kind")}>{inputDescription(c, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

/** "Đạt: từ 80 điểm; mỗi nhóm ≥ 50%", best level first, then the label below all levels. */
export function RatingRules({ definition }: { definition: FrameworkDefinition }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="fw-rules-heading">
      <h2 id="fw-rules-heading">{t("frameworks.rulesHeading")}</h2>
      <ul className="fw-rules">
        {definition.ratings.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: ratings have no stable id while edited.
          <li key={i}>{ratingRule(r, definition, t)}</li>
        ))}
        <li>{t("frameworks.rule.fail", { label: definition.failLabel })}</li>
      </ul>
      <p className="muted">{t("frameworks.rulesOrder")}</p>
    </section>
  );
}
