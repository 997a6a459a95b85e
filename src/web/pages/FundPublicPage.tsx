/**
 * The public statement of a fund (công khai): open to anyone, no login, read-only, only the
 * years the Association published, and nothing personal (no pupils, no private donors' names).
 */
import { useParams } from "react-router";
import { formatDateShort } from "../../domain/format.ts";
import { api } from "../api.ts";
import { ErrorBox, Loading } from "../components/feedback.tsx";
import { SelectField } from "../components/fields.tsx";
import { useFilterParams, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { money, type PublicFund, type PublicStatement, StatementFigures } from "./FundParts.tsx";

export function FundPublicPage() {
  const t = useT();
  const id = Number(useParams().id);
  const [params, setParams] = useFilterParams();
  const fund = useLoad(() => api.get<PublicFund>(`/api/v1/public/funds/${id}`), [id]);
  const year = Number(params.get("year")) || fund.data?.years[0]?.year;
  const statement = useLoad(
    () =>
      year
        ? api.get<PublicStatement>(`/api/v1/public/funds/${id}/statements/${year}`)
        : Promise.resolve(undefined),
    [id, year],
  );
  const s = statement.data;
  return (
    <main id="main" className="fund-public">
      <div className="page">
        <p className="brand-mark">{t("app.name")}</p>
        {fund.error ? (
          <>
            <h1>{t("fund.public.notFound")}</h1>
            <ErrorBox error={fund.error} />
          </>
        ) : !fund.data ? (
          <Loading />
        ) : (
          <>
            <h1>{t("fund.public.title", { name: fund.data.name })}</h1>
            <p className="muted">{[fund.data.unitName, ...[...fund.data.ancestry].reverse()].join(" · ")}</p>
            <p>{t("fund.public.intro")}</p>
            {fund.data.years.length > 1 && (
              <SelectField
                label={t("fund.year")}
                value={String(year)}
                onChange={(e) => setParams({ year: e.target.value })}
              >
                {fund.data.years.map((y) => (
                  <option key={y.year} value={y.year}>
                    {y.label}
                  </option>
                ))}
              </SelectField>
            )}
            <ErrorBox error={statement.error} />
            {s && (
              <>
                <section className="card">
                  <h2>{s.period.label}</h2>
                  {s.yearStatus === "open" && <p className="warning">{t("fund.public.open")}</p>}
                  <StatementFigures statement={s} />
                </section>
                <section className="card">
                  <h2>{t("fund.public.entries", { count: s.entries.length })}</h2>
                  <ul className="rows fund-entries">
                    {s.entries.map((e) => {
                      const signed = BigInt(e.signedAmount);
                      return (
                        <li key={e.id} className="fund-entry">
                          <div className="fund-entry-head">
                            <span>
                              <span className="muted">{formatDateShort(e.date)}</span>{" "}
                              <strong>{e.kindLabel}</strong>
                              {e.categoryLabel && ` · ${e.categoryLabel}`}
                            </span>
                            <span className={signed < 0n ? "fund-amount fund-out" : "fund-amount fund-in"}>
                              {signed < 0n ? "−" : "+"}
                              {money((signed < 0n ? -signed : signed).toString())}
                            </span>
                          </div>
                          <div className="fund-entry-more muted">
                            {[
                              e.donorName,
                              e.description,
                              e.beneficiaries !== null && t("fund.ledger.people", { count: e.beneficiaries }),
                            ]
                              .filter(Boolean)
                              .join(" · ")}
                          </div>
                        </li>
                      );
                    })}
                  </ul>
                </section>
              </>
            )}
            {!s && !statement.error && year && <Loading />}
          </>
        )}
      </div>
    </main>
  );
}
