import { ApiError } from "../api.ts";
import { useT } from "../i18n/index.tsx";

/** A polite confirmation ("Đã lưu.") read out by screen readers. */
export function Notice({ children }: { children: string | null | undefined }) {
  if (!children) return null;
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

/** The error of a failed request, in plain Vietnamese, with what to do next. */
export function ErrorBox({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const title = error instanceof ApiError ? error.problem.title : t("error.title");
  const detail =
    error instanceof ApiError
      ? error.problem.errors?.length
        ? t("error.fixFields")
        : error.problem.detail
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      {detail && <p>{detail}</p>}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" aria-live="polite">
      {t("app.loading")}
    </p>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize) return null;
  return (
    <nav className="pager" aria-label={t("pager.status", { page, pages, total })}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t("pager.previous")}
      </button>
      <span>{t("pager.status", { page, pages, total })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("pager.next")}
      </button>
    </nav>
  );
}
