/**
 * "/org-units/:id/import": what can be imported from Excel into this unit — each kind the server
 * offers (`GET /api/v1/imports/kinds`) that the unit takes and the user may write, with its
 * description and the way to its import page; the kinds imported at another unit folded below,
 * each saying where; and the unit's latest imports of every kind.
 */
import { Link, useParams } from "react-router";
import { ErrorBox, Loading } from "../components/feedback.tsx";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import { UnitLoadError, useRegistryUnit } from "./HouseholdsPage.tsx";
import { RecentImports, useImportKinds } from "./ImportPage.tsx";
import { KIND_RULES, kindOrder, mayWrite, unitTakes } from "./import-kinds.ts";
import "../components/records.css";
import "./imports.css";

export function ImportIndexPage() {
  const t = useT();
  const { can } = useSession();
  const id = Number(useParams().id);
  const unit = useRegistryUnit(id);
  const mayImport = can("data.import");
  const kinds = useImportKinds(mayImport);

  if (unit.error) return <UnitLoadError error={unit.error} />;
  if (!unit.data || unit.data.id !== id) return <Loading />;
  const u = unit.data;
  const all = [...(kinds.data ?? [])].sort((a, b) => kindOrder(a.code) - kindOrder(b.code));
  const here = all.filter((k) => unitTakes(k.code, u) && mayWrite(k.code, can));
  const elsewhere = all.filter((k) => !unitTakes(k.code, u) && mayWrite(k.code, can));

  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${u.id}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("import.index.title")}</h1>
      <p className="muted">{u.name}</p>
      {!mayImport ? (
        <p>{t("import.readOnly")}</p>
      ) : (
        <>
          <p>{t("import.index.intro", { name: u.name })}</p>
          <ErrorBox error={kinds.error} />
          {!kinds.data && !kinds.error && <Loading />}
          {kinds.data && (
            <section aria-label={t("import.index.kinds")}>
              {here.length === 0 ? (
                <p className="muted">{t("import.index.none")}</p>
              ) : (
                <ul className="import-kinds">
                  {here.map((k) => (
                    <li key={k.code}>
                      <Link className="unit-task" to={`/org-units/${u.id}/import/${k.code}`}>
                        {k.title}
                      </Link>
                      <p className="muted">{k.description}</p>
                    </li>
                  ))}
                </ul>
              )}
              {elsewhere.length > 0 && (
                <details className="import-elsewhere">
                  <summary>{t("import.index.elsewhere")}</summary>
                  <p className="hint">{t("import.index.elsewhereHint", { name: u.name })}</p>
                  <ul>
                    {elsewhere.map((k) => {
                      const rule = KIND_RULES[k.code];
                      return (
                        <li key={k.code}>
                          <strong>{k.title}</strong>
                          {rule && <>: {t(rule.where)}</>}
                        </li>
                      );
                    })}
                  </ul>
                </details>
              )}
            </section>
          )}
          <RecentImports unitId={u.id} kind={null} version={0} currentId={null} onOpen={null} />
        </>
      )}
    </div>
  );
}
