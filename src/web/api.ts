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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, OFFLINE);
  }
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem =
      data && typeof data === "object" && "title" in data
        ? (data as Problem)
        : {
            type: "about:blank",
            status: response.status,
            code: "http_error",
            title: "Lỗi máy chủ",
            detail: `Máy chủ trả lời mã ${response.status}. Vui lòng thử lại.`,
          };
    if (response.status === 401 && !path.endsWith("/auth/login")) onUnauthenticated();
    throw new ApiError(response.status, problem);
  }
  return data as T;
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

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};
