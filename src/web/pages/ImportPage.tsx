/**
 * "/org-units/:id/import/:kind": one kind of records (households, clans, a fund's receipts and
 * disbursements…, `GET /api/v1/imports/kinds`) from the officer's Excel (or CSV) list into a unit.
 * Three steps on one screen: prepare the file (the template, the kind's columns) and choose it —
 * it is uploaded and checked, nothing written, with a progress bar and Hủy; read the check (a
 * summary in words, the rows to fix, the annotated file) and choose what to import; the import
 * itself with its progress and Hủy, then what was written and the way to the records. A refusal
 * never loses what was chosen: the checked file stays on the server, so the import can simply be
 * pressed again. The unit's latest imports of the kind are listed at the bottom; `?job=<id>`
 * opens one of them (the index of kinds links there).
 */
import {
  type ChangeEvent,
  type Dispatch,
  type MouseEvent,
  type SetStateAction,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { formatDateTime, formatInteger } from "../../domain/format.ts";
import { ApiError, api, getFile, postStream, query, saveFile } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { FieldNotes } from "../components/fields.tsx";
import { useLoad } from "../hooks.ts";
import { type MessageKey, type Translate, useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { ImportJob, OrgUnitDetail } from "../types.ts";
import { CheckField, UnitLoadError, useRegistryUnit } from "./HouseholdsPage.tsx";
import { type ImportKindView, KIND_RULES, lowerFirst, mayWrite, unitTakes, wording } from "./import-kinds.ts";
import "../components/records.css";
import "./imports.css";

/** The server lists at most this many problems with a job (the annotated file has them all). */
const SHOWN_PROBLEMS = 200;

type Mode = "all" | "valid";

type Stage =
  | { step: "choose" }
  | { step: "checking"; file: File; rows: number; bytes: number | null }
  | { step: "checked"; job: ImportJob }
  | { step: "committing"; job: ImportJob; rows: number }
  | { step: "done"; job: ImportJob; includeSuspected: boolean };

const STATUS_LABEL: Record<ImportJob["status"], MessageKey> = {
  checked: "import.status.checked",
  failed: "import.status.failed",
  imported: "import.status.imported",
  cancelled: "import.status.cancelled",
};

/** A refusal with field messages (a wrong unit) said in its detail: this page has no fields to mark. */
function plainError(error: unknown): unknown {
  if (error instanceof ApiError && error.problem.errors?.length) {
    const { errors, ...problem } = error.problem;
    return new ApiError(error.status, { ...problem, detail: errors.map((e) => e.message).join(" ") });
  }
  return error;
}

/** "200 dòng: 197 dòng hợp lệ (197 dòng mới), 3 dòng có lỗi." (households: "197 thêm mới") */
export function checkSummary(t: Translate, rows: ImportJob["rows"], kind: string): string {
  if (rows.total === 0) return t("import.summary.empty");
  const valid = rows.total - rows.invalid;
  const parts = outcomeParts(t, rows, kind).join(", ");
  const validText = parts ? ` (${parts})` : "";
  if (rows.invalid === 0)
    return `${t("import.summary.allValid", { total: formatInteger(rows.total) })}${validText}.`;
  const said = [
    valid > 0 ? `${t("import.summary.valid", { count: formatInteger(valid) })}${validText}` : "",
    t("import.summary.invalid", { count: formatInteger(rows.invalid) }),
  ].filter(Boolean);
  return `${t("import.summary.total", { total: formatInteger(rows.total) })}: ${said.join(", ")}.`;
}

function outcomeParts(t: Translate, rows: ImportJob["rows"], kind: string): string[] {
  const parts: [number, MessageKey][] = [
    [rows.new, "import.summary.new"],
    [rows.updated, "import.summary.updated"],
    [rows.unchanged, "import.summary.unchanged"],
    [rows.suspected, "import.summary.suspected"],
  ];
  return parts.filter(([n]) => n > 0).map(([n, key]) => t(wording(kind, key), { count: formatInteger(n) }));
}

/**
 * The kinds the server offers (cached for the session: they change only with a new version);
 * asked only of a user who may import (`enabled`), an empty list otherwise.
 */
let kindsCache: Promise<ImportKindView[]> | null = null;
export function useImportKinds(enabled: boolean) {
  return useLoad(() => {
    if (!enabled) return Promise.resolve([]);
    kindsCache ??= api.get<ImportKindView[]>("/api/v1/imports/kinds").catch((e: unknown) => {
      kindsCache = null;
      throw e;
    });
    return kindsCache;
  }, [enabled]);
}

/** Where the kind's records are seen, and its name ("Danh sách hộ gia đình"); the unit's page if unknown. */
function listOf(t: Translate, code: string, unit: OrgUnitDetail): { to: string; name: string } {
  const rule = KIND_RULES[code];
  return rule
    ? { to: rule.listPath(unit), name: t(rule.list) }
    : { to: `/org-units/${unit.id}`, name: unit.name };
}

export function ImportPage() {
  const t = useT();
  const { can } = useSession();
  const params = useParams();
  const id = Number(params.id);
  const code = params.kind ?? "households";
  const [search, setSearch] = useSearchParams();
  const unit = useRegistryUnit(id);
  // Importing is its own permission (data.import), and each kind needs the write it makes.
  const mayImport = can("data.import");
  const kinds = useImportKinds(mayImport);
  const [stage, setStage] = useState<Stage>({ step: "choose" });
  const [version, setVersion] = useState(0);
  const [openError, setOpenError] = useState<unknown>(null);
  const askedJob = Number(search.get("job")) || null;

  // A different kind or unit starts afresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the address changes.
  useEffect(() => {
    setStage({ step: "choose" });
    setOpenError(null);
  }, [id, code]);

  async function open(jobId: number) {
    setOpenError(null);
    try {
      setStage({ step: "checked", job: await api.get<ImportJob>(`/api/v1/imports/${jobId}`) });
    } catch (e) {
      setOpenError(e);
    }
  }

  const u = unit.data && unit.data.id === id ? unit.data : null;
  const kind = kinds.data?.find((k) => k.code === code);
  const importable = u !== null && unitTakes(code, u);
  const writable = importable && mayImport && mayWrite(code, can) && kind !== undefined;
  // "?job=…" (from the index of kinds): open that check once the page can act on it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: open once per asked job.
  useEffect(() => {
    if (!writable || askedJob === null) return;
    setSearch({}, { replace: true });
    void open(askedJob);
  }, [writable, askedJob]);

  if (unit.error) return <UnitLoadError error={unit.error} />;
  if (!u || (!kinds.data && !kinds.error)) return <Loading />;
  const parent = u.ancestors.at(-1);
  const list = listOf(t, code, u);
  const rule = KIND_RULES[code];
  const busy = stage.step === "checking" || stage.step === "committing";

  return (
    <div className="page">
      <p className="import-nav">
        <Link to={list.to}>{t("import.back", { list: list.name })}</Link>
        {mayImport && <Link to={`/org-units/${u.id}/import`}>{t("import.otherKinds")}</Link>}
      </p>
      <ErrorBox error={kinds.error} />
      {!mayImport && (
        <>
          <h1>{t("import.index.title")}</h1>
          <p>{t("import.readOnly")}</p>
        </>
      )}
      {mayImport && kinds.data && !kind && (
        <>
          <h1>{t("import.index.title")}</h1>
          <p>{t("import.unknownKind", { kind: code })}</p>
        </>
      )}
      {kind && (
        <>
          <h1>{t("import.title", { title: kind.title, titleLower: lowerFirst(kind.title) })}</h1>
          <p className="muted">
            {t("import.into", {
              name: [u.name, u.kind === "village" ? parent?.name : null].filter(Boolean).join(", "),
            })}
          </p>
          <p className="import-description">{kind.description}</p>
        </>
      )}
      {kind && !importable && <p>{rule ? t(rule.where) : null}</p>}
      {kind && importable && !writable && <p>{t("import.readOnly")}</p>}
      <ErrorBox error={openError} />
      {writable && kind && (
        <ImportFlow
          // Another unit or kind starts afresh (and leaving one cancels what it was doing).
          key={`${u.id}/${kind.code}`}
          kind={kind}
          unitId={u.id}
          list={list}
          stage={stage}
          setStage={setStage}
          onJobChanged={() => setVersion((v) => v + 1)}
        />
      )}
      {mayImport && kind && (
        <RecentImports
          unitId={u.id}
          kind={code}
          version={version}
          currentId={"job" in stage ? stage.job.id : null}
          onOpen={writable && !busy ? open : null}
        />
      )}
    </div>
  );
}

function ImportFlow({
  kind,
  unitId,
  list,
  stage,
  setStage,
  onJobChanged,
}: {
  kind: ImportKindView;
  unitId: number;
  list: { to: string; name: string };
  stage: Stage;
  setStage: Dispatch<SetStateAction<Stage>>;
  onJobChanged: () => void;
}) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [lastFile, setLastFile] = useState<File | null>(null);
  const [includeSuspected, setIncludeSuspected] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const previousStep = useRef(stage.step);

  // Leaving the page closes the connection, which cancels: nothing half-written.
  useEffect(() => () => controller.current?.abort(), []);
  // A new step's heading takes the focus (and the phone scrolls to it).
  useEffect(() => {
    if (previousStep.current !== stage.step && (stage.step === "checked" || stage.step === "done")) {
      heading.current?.focus();
    }
    previousStep.current = stage.step;
  }, [stage.step]);
  // While a file is read or written, closing the tab asks first.
  const working = stage.step === "checking" || stage.step === "committing";
  useEffect(() => {
    if (!working) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [working]);

  async function check(file: File) {
    setError(null);
    setNotice(null);
    setLastFile(file);
    setIncludeSuspected(false);
    const c = new AbortController();
    controller.current = c;
    setStage({ step: "checking", file, rows: 0, bytes: null });
    try {
      const job = await postStream<ImportJob>(
        `/api/v1/imports/${kind.code}/check${query({ orgUnitId: unitId, fileName: file.name })}`,
        file,
        {
          signal: c.signal,
          onProgress: (p) =>
            setStage((s) =>
              s.step === "checking" && s.file === file ? { ...s, rows: p.rows, bytes: p.bytes } : s,
            ),
        },
      );
      setStage({ step: "checked", job });
      onJobChanged();
    } catch (e) {
      if (c.signal.aborted) setNotice(t("import.checkCancelled"));
      else setError(plainError(e));
      setStage({ step: "choose" });
    } finally {
      if (controller.current === c) controller.current = null;
    }
  }

  async function commit(job: ImportJob, mode: Mode) {
    setError(null);
    setNotice(null);
    const withSuspected = includeSuspected && job.rows.suspected > 0;
    const c = new AbortController();
    controller.current = c;
    setStage({ step: "committing", job, rows: 0 });
    try {
      const done = await postStream<ImportJob>(
        `/api/v1/imports/${job.id}/commit`,
        { mode, includeSuspected: withSuspected },
        {
          signal: c.signal,
          onProgress: (p) =>
            setStage((s) => (s.step === "committing" && s.job.id === job.id ? { ...s, rows: p.rows } : s)),
        },
      );
      setStage({ step: "done", job: done, includeSuspected: withSuspected });
      onJobChanged();
    } catch (e) {
      if (c.signal.aborted) {
        setNotice(t("import.commitCancelled"));
      } else if (e instanceof ApiError && e.problem.code === "import_not_checked") {
        // Written after all (a cancel that came too late, another tab): show what was written.
        const fresh = await api.get<ImportJob>(`/api/v1/imports/${job.id}`).catch(() => null);
        if (fresh?.status === "imported") {
          setStage({ step: "done", job: fresh, includeSuspected: withSuspected });
          onJobChanged();
          return;
        }
        setError(e);
      } else {
        setError(plainError(e));
      }
      setStage({ step: "checked", job });
    } finally {
      if (controller.current === c) controller.current = null;
    }
  }

  const cancel = () => controller.current?.abort();
  const chooseAnother = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    // Cleared, so that choosing the same (corrected) file again is a change too.
    e.target.value = "";
    if (file) check(file);
  };

  const feedback = (
    <>
      <Notice>{notice}</Notice>
      <ErrorBox error={error} />
    </>
  );

  return (
    <>
      {(stage.step === "choose" || stage.step === "checking") && (
        <section className="card" aria-labelledby="import-step1">
          <h2 id="import-step1">{t("import.step1")}</h2>
          <p style={{ margin: 0 }}>
            {t(wording(kind.code, "import.step1.text"), { sheets: sheetsText(t, kind) })}
          </p>
          <TemplateLink kind={kind.code} unitId={unitId} />
          <Columns kind={kind} />
          {feedback}
          {stage.step === "checking" ? (
            <Progress
              label={t("import.progressCheck")}
              text={
                stage.bytes === null
                  ? t("import.uploading", { file: stage.file.name })
                  : t("import.checking", { file: stage.file.name, rows: formatInteger(stage.rows) })
              }
              value={stage.bytes}
              max={stage.file.size}
              onCancel={cancel}
            />
          ) : (
            <div className="import-file">
              <FileButton
                label={t("import.file")}
                hint={t("import.fileHint")}
                primary
                onChange={chooseAnother}
              />
            </div>
          )}
          {stage.step === "choose" && error !== null && lastFile && (
            <p style={{ margin: 0 }}>
              <button type="button" onClick={() => check(lastFile)}>
                {t("import.retryCheck", { file: lastFile.name })}
              </button>
            </p>
          )}
        </section>
      )}
      {(stage.step === "checked" || stage.step === "committing") && (
        <section className="card" aria-labelledby="import-step2">
          <h2 id="import-step2" ref={heading} tabIndex={-1}>
            {t("import.step2")}
          </h2>
          <CheckResult
            job={stage.job}
            kind={kind.code}
            unitId={unitId}
            includeSuspected={includeSuspected}
            onIncludeSuspected={setIncludeSuspected}
          />
          {feedback}
          {stage.step === "committing" ? (
            <Progress
              label={t("import.progressCommit")}
              text={t("import.committing", {
                rows: formatInteger(stage.rows),
                total: formatInteger(stage.job.rows.total),
              })}
              value={stage.rows}
              max={Math.max(1, stage.job.rows.total)}
              onCancel={cancel}
            />
          ) : (
            <CommitActions
              job={stage.job}
              onCommit={(mode) => commit(stage.job, mode)}
              onChooseAnother={chooseAnother}
            />
          )}
        </section>
      )}
      {stage.step === "done" && (
        <section className="card" aria-labelledby="import-step3">
          <h2 id="import-step3" ref={heading} tabIndex={-1}>
            {t("import.step3")}
          </h2>
          <DoneSummary job={stage.job} kind={kind.code} includeSuspected={stage.includeSuspected} />
          <div className="actions">
            <Link className="import-button primary" to={list.to}>
              {t("import.toList", { list: list.name, listLower: lowerFirst(list.name) })}
            </Link>
            <button type="button" onClick={() => setStage({ step: "choose" })}>
              {t("import.another")}
            </button>
          </div>
        </section>
      )}
    </>
  );
}

/** "trang “Thu chi”", "các trang “Dòng họ”, “Hộ thuộc dòng họ”". */
function sheetsText(t: Translate, kind: ImportKindView): string {
  const names = kind.sheets.map((s) => `“${s.name}”`);
  return names.length === 1
    ? t("import.sheets.one", { name: kind.sheets[0]?.name ?? "" })
    : t("import.sheets.many", { names: names.join(", ") });
}

/** The kind's columns, sheet by sheet, folded away: what each means and which are required. */
function Columns({ kind }: { kind: ImportKindView }) {
  const t = useT();
  return (
    <details className="import-columns">
      <summary>{t("import.columns")}</summary>
      {kind.sheets.map((sheet) => (
        <div key={sheet.name}>
          {kind.sheets.length > 1 && <h3>{t("import.columns.sheet", { name: sheet.name })}</h3>}
          <dl>
            {sheet.columns.map((c) => (
              <div key={c.header}>
                <dt>
                  {c.header}
                  {c.required && <span className="muted"> ({t("import.columns.required")})</span>}
                </dt>
                <dd>{c.help}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </details>
  );
}

/**
 * The template, fetched rather than followed: a unit that cannot take the kind (no fund opened
 * yet…) gets the server's message beside the link, not a downloaded refusal.
 */
function TemplateLink({ kind, unitId }: { kind: string; unitId: number }) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const href = `/api/v1/imports/templates/${kind}${query({ orgUnitId: unitId })}`;
  async function onClick(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      const { blob, name } = await getFile(href);
      saveFile(blob, name ?? `mau-nhap-${kind}.xlsx`);
    } catch (err) {
      setError(plainError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <a
        className="download-link"
        href={href}
        download
        aria-busy={busy || undefined}
        style={{ alignSelf: "flex-start" }}
        onClick={onClick}
      >
        {t("import.template")}
      </a>
      <ErrorBox error={error} />
    </>
  );
}

const ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv";

/**
 * A file input shown as a button (one tap opens the phone's file picker, in words the officer
 * reads rather than the browser's “Choose File”); the input itself stays in the page for the
 * keyboard and screen readers, named by the label around it.
 */
function FileButton({
  label,
  hint,
  primary,
  onChange,
}: {
  label: string;
  hint?: string;
  primary?: boolean;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
}) {
  const id = useId();
  return (
    <>
      <label className={primary ? "import-file-button primary" : "import-file-button"}>
        <input
          type="file"
          accept={ACCEPT}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={onChange}
        />
        {label}
      </label>
      {hint && <FieldNotes id={id} hint={hint} />}
    </>
  );
}

/** A progress bar with what it is doing in words, and Hủy. `value` null: not known yet. */
function Progress({
  label,
  text,
  value,
  max,
  onCancel,
}: {
  label: string;
  text: string;
  value: number | null;
  max: number;
  onCancel: () => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="import-progress">
      <p id={id} style={{ margin: 0 }} aria-live="polite">
        {text}
      </p>
      <progress aria-label={label} aria-describedby={id} max={max} value={value ?? undefined} />
      <button type="button" onClick={onCancel} style={{ alignSelf: "flex-start" }}>
        {t("import.cancel")}
      </button>
    </div>
  );
}

/** What the check found: the summary, converted fonts, the rows to fix, the annotated file. */
function CheckResult({
  job,
  kind,
  unitId,
  includeSuspected,
  onIncludeSuspected,
}: {
  job: ImportJob;
  kind: string;
  unitId: number;
  includeSuspected: boolean;
  onIncludeSuspected: (on: boolean) => void;
}) {
  const t = useT();
  if (job.status === "failed") {
    return (
      <>
        <p className="muted" style={{ margin: 0 }}>
          {t("import.fileName", { file: job.fileName })}
        </p>
        <div className="error-box" role="alert">
          <strong>{t("import.failed", { file: job.fileName })}</strong>
          {job.message && <p>{job.message}</p>}
          <p>{t("import.failedNext")}</p>
        </div>
        <TemplateLink kind={kind} unitId={unitId} />
      </>
    );
  }
  const sheets = new Set(job.problems.map((p) => p.sheet));
  const bySheet = sheets.size > 1;
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        {t("import.fileName", { file: job.fileName })}
      </p>
      <p className="import-summary">{checkSummary(t, job.rows, kind)}</p>
      {job.cellsConverted > 0 && (
        <p style={{ margin: 0 }}>{t("import.converted", { count: formatInteger(job.cellsConverted) })}</p>
      )}
      {job.problems.length > 0 && (
        <div className="table-scroll">
          <table className="import-problems">
            <caption>{t("import.problems")}</caption>
            <thead>
              <tr>
                {bySheet && <th scope="col">{t("import.col.sheet")}</th>}
                <th scope="col" className="num">
                  {t("import.col.row")}
                </th>
                <th scope="col">{t("import.col.column")}</th>
                <th scope="col">{t("import.col.message")}</th>
              </tr>
            </thead>
            <tbody>
              {job.problems.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row may have several problems in one column.
                <tr key={i} className={p.warning ? "import-warning-row" : undefined}>
                  {bySheet && <td data-label={t("import.col.sheet")}>{p.sheet}</td>}
                  <td data-label={t("import.col.row")} className="num">
                    {p.row}
                  </td>
                  <td data-label={t("import.col.column")}>{p.column || "—"}</td>
                  <td data-label={t("import.col.message")}>
                    <span>
                      {p.warning && <span className="badge import-badge-warn">{t("import.warning")}</span>}{" "}
                      {p.message}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {job.problems.length >= SHOWN_PROBLEMS && (
        <p className="hint">{t("import.problemsCut", { shown: formatInteger(job.problems.length) })}</p>
      )}
      {job.problems.length > 0 && job.fileAvailable && (
        <div>
          <a className="download-link" href={`/api/v1/imports/${job.id}/annotated`} download>
            {t("import.annotated")}
          </a>
          <p className="hint">{t("import.annotatedHint")}</p>
        </div>
      )}
      {job.rows.suspected > 0 && (
        <div>
          <CheckField
            label={t(wording(kind, "import.includeSuspected"), { count: formatInteger(job.rows.suspected) })}
            checked={includeSuspected}
            onChange={onIncludeSuspected}
          />
          <p className="hint">{t(wording(kind, "import.suspectedHint"))}</p>
        </div>
      )}
      {job.rows.total > 0 &&
        job.rows.new + job.rows.updated + job.rows.suspected === 0 &&
        job.rows.invalid === 0 && (
          <p className="muted" style={{ margin: 0 }}>
            {t(wording(kind, "import.nothingNew"))}
          </p>
        )}
    </>
  );
}

function CommitActions({
  job,
  onCommit,
  onChooseAnother,
}: {
  job: ImportJob;
  onCommit: (mode: Mode) => void;
  onChooseAnother: (e: ChangeEvent<HTMLInputElement>) => void;
}) {
  const t = useT();
  const hintId = useId();
  const checked = job.status === "checked";
  const invalid = job.rows.invalid;
  const valid = job.rows.total - invalid;
  return (
    <>
      {checked && invalid > 0 && (
        <p className="hint" id={hintId}>
          {t("import.commitAllBlocked", { count: formatInteger(invalid) })}
        </p>
      )}
      <div className="actions">
        {checked && job.rows.total > 0 && (
          <button
            type="button"
            className={invalid > 0 ? undefined : "primary"}
            disabled={invalid > 0}
            aria-describedby={invalid > 0 ? hintId : undefined}
            onClick={() => onCommit("all")}
          >
            {t("import.commitAll")}
          </button>
        )}
        {checked && invalid > 0 && valid > 0 && (
          <button type="button" className="primary" onClick={() => onCommit("valid")}>
            {t("import.commitValid", { count: formatInteger(valid) })}
          </button>
        )}
        <FileButton label={t("import.chooseAnother")} onChange={onChooseAnother} />
      </div>
    </>
  );
}

function DoneSummary({
  job,
  kind,
  includeSuspected,
}: {
  job: ImportJob;
  kind: string;
  includeSuspected: boolean;
}) {
  const t = useT();
  const parts = [
    [job.rows.new, "import.summary.new"],
    [job.rows.updated, "import.summary.updated"],
    [includeSuspected ? job.rows.suspected : 0, "import.summary.suspected"],
  ] as const;
  const written = parts
    .filter(([n]) => n > 0)
    .map(([n, key]) => t(wording(kind, key), { count: formatInteger(n) }));
  return (
    <div role="status" className="notice">
      <p style={{ margin: 0, fontWeight: 600 }}>
        {written.length > 0
          ? t("import.done", {
              count: formatInteger(parts.reduce((sum, [n]) => sum + n, 0)),
              parts: written.join(", "),
            })
          : t(wording(kind, "import.done.nothing"))}
      </p>
      {job.rows.invalid > 0 && (
        <p style={{ margin: 0 }}>
          {t("import.done.skippedInvalid", { count: formatInteger(job.rows.invalid) })}
        </p>
      )}
      {!includeSuspected && job.rows.suspected > 0 && (
        <p style={{ margin: 0 }}>
          {t("import.done.skippedSuspected", { count: formatInteger(job.rows.suspected) })}
        </p>
      )}
    </div>
  );
}

/**
 * The unit's latest imports (and those of the units below it): of one kind, or of every kind
 * (`kind` null, the index), each named by its kind and opened on its kind's page.
 */
export function RecentImports({
  unitId,
  kind,
  version,
  currentId,
  onOpen,
}: {
  unitId: number;
  kind: string | null;
  version: number;
  currentId: number | null;
  /** Open a checked job on this page; null: not here (on the index, a link to its kind's page). */
  onOpen: ((id: number) => void) | null;
}) {
  const t = useT();
  const jobs = useLoad(
    () => api.get<ImportJob[]>(`/api/v1/imports${query({ orgUnitId: unitId })}`),
    [unitId, version],
  );
  const shown = jobs.data?.filter((j) => kind === null || j.kind === kind);
  return (
    <section className="card" aria-labelledby="import-recent">
      <h2 id="import-recent">{t(kind === null ? "import.recent.all" : "import.recent")}</h2>
      <ErrorBox error={jobs.error} />
      {!jobs.data && !jobs.error && <Loading />}
      {shown?.length === 0 && <p className="muted">{t("import.recent.none")}</p>}
      {shown && shown.length > 0 && (
        <ul className="record-list">
          {shown.map((j) => {
            const openable = j.status === "checked" && j.fileAvailable && j.id !== currentId;
            const label = t("import.recent.openLabel", { file: j.fileName });
            return (
              <li key={j.id} className="import-job">
                <span>
                  <strong>{j.fileName}</strong>{" "}
                  <span className={j.status === "imported" ? "badge badge-ok" : "badge"}>
                    {t(STATUS_LABEL[j.status])}
                  </span>
                </span>
                <span className="muted">
                  {[
                    kind === null ? j.kindTitle : null,
                    formatDateTime(j.committedAt ?? j.createdAt),
                    j.username,
                    j.orgUnitId !== unitId ? j.orgUnitName : null,
                    j.status === "failed"
                      ? null
                      : t("import.recent.counts", {
                          total: formatInteger(j.rows.total),
                          invalid: formatInteger(j.rows.invalid),
                        }),
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
                {j.message && <span className="muted">{j.message}</span>}
                {openable && onOpen && (
                  <button
                    type="button"
                    className="link-button"
                    style={{ alignSelf: "flex-start", paddingLeft: 0 }}
                    aria-label={label}
                    onClick={() => onOpen(j.id)}
                  >
                    {t("import.recent.open")}
                  </button>
                )}
                {openable && kind === null && (
                  <Link to={`/org-units/${unitId}/import/${j.kind}?job=${j.id}`} aria-label={label}>
                    {t("import.recent.open")}
                  </Link>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
