/**
 * The one way the web app talks to the API: JSON in and out, the session cookie plus the CSRF
 * token on writes, and RFC 9457 problems turned into an ApiError the forms can show field by
 * field. A dropped connection is an ApiError too (status 0), so no form ever loses its input.
 */
import type { z } from "zod";
import type { FieldError, Problem } from "../server/problem.ts";

export type { FieldError, Problem };
export type Infer<T extends z.ZodType> = z.infer<T>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }

  /** Field name → message, for the inputs that caused a validation error. */
  get fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.field.split(".")[0] ?? e.field;
      result[key] ??= e.message;
    }
    return result;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, logged out elsewhere). */
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}

const OFFLINE: Problem = {
  type: "urn:xhht:problem:network",
  status: 0,
  code: "network",
  title: "Không kết nối được máy chủ",
  detail: "Kiểm tra kết nối mạng rồi thử lại. Dữ liệu bạn đã nhập vẫn còn nguyên.",
};

/** A body sent as it is (a file), with its media type, rather than as JSON. */
class RawBody {
  constructor(
    readonly blob: Blob,
    readonly type: string,
  ) {}
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body instanceof RawBody) headers["content-type"] = body.type;
  else if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body instanceof RawBody ? body.blob : body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, OFFLINE);
  }
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && !path.endsWith("/auth/login")) onUnauthenticated();
    throw new ApiError(response.status, problemOf(response.status, data));
  }
  return data as T;
}

/** The server's problem+json, or a plain Vietnamese one when the answer is not one. */
function problemOf(status: number, data: unknown): Problem {
  return data && typeof data === "object" && "title" in data
    ? (data as Problem)
    : {
        type: "about:blank",
        status,
        code: "http_error",
        title: "Lỗi máy chủ",
        detail: `Máy chủ trả lời mã ${status}. Vui lòng thử lại.`,
      };
}

/** A refused answer (its body read) as the ApiError to throw; a 401 ends the session. */
async function refusal(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  if (response.status === 401) onUnauthenticated();
  return new ApiError(response.status, problemOf(response.status, text ? safeJson(text) : undefined));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Query string from an object, skipping empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

const DROPPED: Problem = {
  type: "urn:xhht:problem:network",
  status: 0,
  code: "network",
  title: "Mất kết nối giữa chừng",
  detail: "Kết nối với máy chủ bị ngắt trước khi xong: không có dữ liệu nào được ghi. Hãy thử lại.",
};

/** One line of a streamed answer (NDJSON): progress while the server works, then the outcome. */
export type StreamLine<T> =
  | { type: "progress"; rows: number; bytes: number }
  | { type: "result"; job: T }
  | { type: "error"; problem: Problem };

/**
 * POST and read a streamed NDJSON answer line by line: `onProgress` for each progress line, the
 * result line's value returned, an error line (or a problem+json refusal before the stream, or a
 * dropped connection) thrown as an ApiError. `body` is sent as is when it is a Blob (a File), as
 * JSON otherwise. Aborting `signal` closes the connection (the server then cancels the work) and
 * rejects with the AbortError, so the caller can tell a cancellation from a failure.
 */
export async function postStream<T>(
  path: string,
  body: Blob | object,
  options: { onProgress?: (p: { rows: number; bytes: number }) => void; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: "application/x-ndjson, application/problem+json",
    "content-type": body instanceof Blob ? "application/octet-stream" : "application/json",
  };
  if (csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers,
      credentials: "same-origin",
      body: body instanceof Blob ? body : JSON.stringify(body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, OFFLINE);
  }
  if (!response.ok || !response.body) throw await refusal(response);
  // Read to the end (the server closes the stream right after the outcome), so that no answer is
  // left half-read on an open connection.
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let outcome: { job: T } | null = null;
  const handle = (text: string) => {
    if (!text.trim()) return;
    const line = safeJson(text) as StreamLine<T> | undefined;
    if (line?.type === "progress") options.onProgress?.({ rows: line.rows, bytes: line.bytes });
    else if (line?.type === "error") throw new ApiError(line.problem.status, line.problem);
    else if (line?.type === "result") outcome = { job: line.job };
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += decoder.decode(value, { stream: !done });
      const lines = buffered.split("\n");
      buffered = done ? "" : (lines.pop() ?? "");
      for (const text of lines) handle(text);
      if (done) break;
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    if (error instanceof ApiError || options.signal?.aborted) throw error;
    // The connection dropped after the outcome arrived: the work was done.
    if (outcome) return (outcome as { job: T }).job;
    throw new ApiError(0, DROPPED);
  }
  if (outcome) return (outcome as { job: T }).job;
  throw new ApiError(0, DROPPED);
}

/**
 * GET a file (an import template…): its bytes and the name the server gives it, or the refusal as
 * an ApiError with its Vietnamese message (a page can then say it, rather than the browser saving
 * the refusal as a file).
 */
export async function getFile(path: string): Promise<{ blob: Blob; name: string | null }> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin" });
  } catch {
    throw new ApiError(0, OFFLINE);
  }
  if (!response.ok) throw await refusal(response);
  const disposition = response.headers.get("content-disposition") ?? "";
  const name =
    /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="([^"]+)"/i.exec(disposition)?.[1];
  return { blob: await response.blob(), name: name ? decodeURIComponent(name) : null };
}

/** Hand `blob` to the browser as a download named `name`. */
export function saveFile(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
  /** POST a file as it is (`type`: its media type, e.g. application/json, text/csv); a JSON answer. */
  postFile: <T>(path: string, file: Blob, type: string) => request<T>("POST", path, new RawBody(file, type)),
};
