import { type FormEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { formatDateTime } from "../../domain/format.ts";
import type { FrameworkDefinition } from "../../domain/learning-models/framework.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField } from "../components/fields.tsx";
import {
  cleanDefinition,
  definitionProblems,
  editorFieldErrors,
  readStoredDraft,
  removeStoredDraft,
  type StoredDraft,
  sameDefinition,
  saveDefinition,
  setIn,
  writeStoredDraft,
} from "../components/framework-api.tsx";
import { DefinitionEditor } from "../components/framework-editor.tsx";
import { type EditorBinding, EditorContext } from "../components/framework-fields.tsx";
import { ProblemList, TryScoring } from "../components/framework-preview.tsx";
import {
  modelLabel,
  type Path,
  ProvisionalBadge,
  pathKey,
  StatusBadge,
  scopeLabel,
  yearsLabel,
} from "../components/framework-text.tsx";
import {
  CriteriaSection,
  LegalBasisSection,
  RatingRules,
  UnknownsSection,
} from "../components/framework-view.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { FrameworkDetail, OrgUnitListItem, Page } from "../types.ts";

/** One criteria framework: read it, try scoring with it, clone it, and edit and publish a draft. */
export function FrameworkPage() {
  const t = useT();
  const id = Number(useParams().id);
  const location = useLocation();
  const loaded = useLoad(() => api.get<FrameworkDetail>(`/api/v1/frameworks/${id}`), [id]);
  // The newest copy the server returned (after a save or a publish), for this id.
  const [latest, setLatest] = useState<FrameworkDetail | null>(null);
  const [notice, setNotice] = useState<string | null>(
    (location.state as { notice?: string } | null)?.notice ?? null,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: a notice belongs to the page it was shown on.
  useEffect(() => setNotice((location.state as { notice?: string } | null)?.notice ?? null), [id]);

  const detail = latest?.id === id ? latest : loaded.data?.id === id ? loaded.data : undefined;

  if (loaded.error && !detail) {
    const problem = loaded.error instanceof ApiError ? loaded.error.problem : null;
    return (
      <div className="page">
        <h1>{problem?.title ?? t("error.title")}</h1>
        <ErrorBox error={loaded.error} />
        <p>
          <Link to="/frameworks">{t("frameworks.back")}</Link>
        </p>
      </div>
    );
  }
  if (!detail) return <Loading />;
  const d = detail.definition;
  const facts = [
    modelLabel(detail.model, t),
    t("frameworks.version", { version: detail.version }),
    scopeLabel(detail.province, t),
    yearsLabel(detail.effectiveFromYear, detail.effectiveToYear, t),
    detail.citizenGroup !== null ? t("frameworks.citizenGroup", { group: detail.citizenGroup }) : null,
    detail.evaluationCount > 0
      ? t("frameworks.evaluations", { count: detail.evaluationCount })
      : t("frameworks.noEvaluations"),
  ].filter(Boolean);
  return (
    <div className={detail.canEdit ? "page page-wide fw-page" : "page fw-page"}>
      <p>
        <Link to={`/frameworks${query({ model: detail.model })}`}>{t("frameworks.back")}</Link>
      </p>
      <h1>{d.title}</h1>
      <p className="fw-badges">
        <StatusBadge status={detail.status} />
        {detail.provisional && <ProvisionalBadge />}
      </p>
      <p className="muted">{facts.join(" · ")}</p>
      {detail.publishedAt && (
        <p className="muted">{t("frameworks.publishedAt", { at: formatDateTime(detail.publishedAt) })}</p>
      )}
      {detail.status === "published" && <p className="muted">{t("frameworks.frozenNote")}</p>}
      <Notice>{notice}</Notice>
      {detail.canEdit ? (
        <DraftWorkspace
          key={detail.id}
          detail={detail}
          onSaved={(saved, message) => {
            setLatest(saved);
            setNotice(message);
          }}
        >
          <UnknownsSection unknowns={d.legalBasis.unknowns} />
          {detail.canClone && <CloneForm detail={detail} />}
        </DraftWorkspace>
      ) : (
        <>
          <UnknownsSection unknowns={d.legalBasis.unknowns} />
          {detail.canClone && <CloneForm detail={detail} />}
          <LegalBasisSection legal={d.legalBasis} />
          <CriteriaSection definition={d} />
          <RatingRules definition={d} />
          <TryScoring definition={d} />
        </>
      )}
    </div>
  );
}

/** "Nhân bản thành phiên bản mới": a new draft, national or for one of the user's provinces. */
function CloneForm({ detail }: { detail: FrameworkDetail }) {
  const t = useT();
  const navigate = useNavigate();
  const { user } = useSession();
  const national = user?.scopes.some((s) => s.kind === "nation") ?? false;
  const provinces = useLoad(
    () =>
      api.get<Page<OrgUnitListItem>>(
        `/api/v1/org-units${query({ level: 1, kind: "province", status: "current", pageSize: 100 })}`,
      ),
    [],
  );
  const options = useMemo(
    () => [
      ...(national ? [{ value: "national", label: t("frameworks.national") }] : []),
      ...(provinces.data?.items ?? []).map((p) => ({ value: String(p.id), label: p.name })),
    ],
    [national, provinces.data, t],
  );
  const [scope, setScope] = useState("");
  const preferred = detail.province ? String(detail.province.id) : "national";
  const chosen = options.some((o) => o.value === scope)
    ? scope
    : options.some((o) => o.value === preferred)
      ? preferred
      : (options[0]?.value ?? "");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    setError(null);
    setBusy(true);
    try {
      const created = await api.post<FrameworkDetail>(
        `/api/v1/frameworks/${detail.id}/clone`,
        chosen === "national" ? {} : { provinceId: Number(chosen) },
      );
      navigate(`/frameworks/${created.id}`, {
        state: {
          notice: t("frameworks.cloned", {
            version: created.version,
            scope: scopeLabel(created.province, t),
          }),
        },
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-labelledby="fw-clone-heading">
      <h2 id="fw-clone-heading">{t("frameworks.clone.heading")}</h2>
      <p className="hint">{t("frameworks.clone.intro")}</p>
      <ErrorBox error={error} />
      {provinces.data && options.length === 0 ? (
        <p className="muted">{t("frameworks.clone.noScope")}</p>
      ) : (
        <div className="inline-form">
          <SelectField
            label={t("frameworks.clone.scope")}
            value={chosen}
            disabled={!provinces.data && !provinces.error}
            error={error instanceof ApiError ? error.fieldErrors.provinceId : undefined}
            onChange={(e) => setScope(e.target.value)}
          >
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="primary" disabled={busy || !chosen}>
            {t("frameworks.clone.submit")}
          </button>
        </div>
      )}
    </form>
  );
}

/**
 * The draft being edited: the form, the live preview, saving and publishing. What is typed
 * lives in state (never cleared by a failed request) and in localStorage until it is saved.
 */
function DraftWorkspace({
  detail,
  onSaved,
  children,
}: {
  detail: FrameworkDetail;
  /** After a save (no message: the save bar says it) or a publish (a message for the page). */
  onSaved: (detail: FrameworkDetail, message: string | null) => void;
  /** Shown between the offer to restore unsaved edits (first) and the editor. */
  children: ReactNode;
}) {
  const t = useT();
  const id = detail.id;
  const [definition, setDefinition] = useState<FrameworkDefinition>(detail.definition);
  const [saved, setSaved] = useState<FrameworkDefinition>(detail.definition);
  const [stored, setStored] = useState<StoredDraft | null>(() => {
    const copy = readStoredDraft(id);
    return copy && !sameDefinition(copy.definition, detail.definition) ? copy : null;
  });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const latest = useRef(definition);
  latest.current = definition;

  const dirty = !sameDefinition(definition, saved);

  // Keep unsaved work in this browser; an offered copy stays until the user decides.
  useEffect(() => {
    if (dirty) writeStoredDraft(id, definition);
    else if (!stored) removeStoredDraft(id);
  }, [id, definition, dirty, stored]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const problems = useMemo(() => definitionProblems(definition), [definition]);
  // What the server refused and the live check does not know about (e.g. a changed scope).
  const listed = useMemo(() => {
    const live = new Set(problems.map((p) => `${pathKey(p.path)}|${p.message}`));
    const fromServer = Object.entries(serverErrors)
      .filter(([key, message]) => !live.has(`${key}|${message}`))
      .map(([key, message]) => ({
        path: key === "" ? [] : key.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
        message,
      }));
    return [...problems, ...fromServer];
  }, [problems, serverErrors]);
  const liveErrors = useMemo(() => {
    const result: Record<string, string> = {};
    for (const p of problems) result[pathKey(p.path)] ??= p.message;
    return result;
  }, [problems]);

  const edit = useCallback((path: Path, value: unknown) => {
    setDefinition((d) => setIn(d, path, value));
    // The server's answer was about what was sent; from now on the live check speaks.
    setServerErrors((errors) => (Object.keys(errors).length ? {} : errors));
    setError((e: unknown) => (e instanceof ApiError && e.problem.errors?.length ? null : e));
    setNotice(null);
  }, []);
  const binding = useMemo<EditorBinding>(
    () => ({ errors: { ...serverErrors, ...liveErrors }, edit }),
    [serverErrors, liveErrors, edit],
  );

  async function save(): Promise<FrameworkDetail | null> {
    setError(null);
    setNotice(null);
    setBusy(true);
    const sent = cleanDefinition(definition);
    try {
      const result = await saveDefinition(id, sent);
      setSaved(result.definition);
      // Take the server's (normalised) copy unless the user typed on while it was saving.
      if (sameDefinition(latest.current, definition)) setDefinition(result.definition);
      setServerErrors({});
      setStored(null);
      removeStoredDraft(id);
      onSaved(result, null);
      return result;
    } catch (e) {
      setError(e);
      setServerErrors(editorFieldErrors(e));
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function onSave() {
    const result = await save();
    if (result) setNotice(t("frameworks.saved"));
  }

  async function onPublish() {
    if (dirty && !(await save())) {
      setConfirming(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const published = await api.post<FrameworkDetail>(`/api/v1/frameworks/${id}/publish`);
      removeStoredDraft(id);
      onSaved(published, t("frameworks.published", { version: published.version }));
    } catch (e) {
      setError(e);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <EditorContext.Provider value={binding}>
      {stored && (
        <section className="card fw-restore" aria-label={t("frameworks.restore.heading")}>
          <p>{t("frameworks.restore.text", { at: formatDateTime(stored.at) })}</p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              onClick={() => {
                setDefinition(stored.definition);
                setStored(null);
              }}
            >
              {t("frameworks.restore.apply")}
            </button>
            <button
              type="button"
              onClick={() => {
                setStored(null);
                if (!dirty) removeStoredDraft(id);
              }}
            >
              {t("frameworks.restore.discard")}
            </button>
          </div>
        </section>
      )}
      {children}
      <p className="hint">{t("frameworks.editor.intro")}</p>
      <div className="fw-layout">
        <div className="fw-main">
          <DefinitionEditor definition={definition} />
        </div>
        <aside className="fw-preview" aria-label={t("frameworks.preview")}>
          <ProblemList problems={listed} definition={definition} />
          <TryScoring definition={definition} />
        </aside>
      </div>
      <div className="fw-savebar">
        <Notice>{notice}</Notice>
        <ErrorBox error={error} />
        {confirming ? (
          <div className="fw-confirm">
            <p role="alert">{t("frameworks.publishConfirm", { version: detail.version })}</p>
            {dirty && <p className="muted">{t("frameworks.publishSavesFirst")}</p>}
            <div className="actions">
              <button type="button" className="primary" disabled={busy} onClick={onPublish}>
                {t("frameworks.publishYes")}
              </button>
              <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                {t("frameworks.publishNo")}
              </button>
            </div>
          </div>
        ) : (
          <div className="actions">
            <p className="fw-save-state">
              <span className={dirty ? "fw-dirty" : undefined}>
                {dirty ? t("frameworks.unsaved") : t("frameworks.allSaved")}
              </span>
              {problems.length > 0 && <> {t("frameworks.publishBlocked", { count: problems.length })}</>}
            </p>
            <button type="button" className="primary" disabled={busy} onClick={onSave}>
              {busy ? t("frameworks.saving") : t("frameworks.save")}
            </button>
            <button
              type="button"
              disabled={busy || problems.length > 0}
              onClick={() => {
                setNotice(null);
                setConfirming(true);
              }}
            >
              {t("frameworks.publish")}
            </button>
          </div>
        )}
      </div>
    </EditorContext.Provider>
  );
}
