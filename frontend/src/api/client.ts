// A thin fetch wrapper over the REST API: session cookie + CSRF token, JSON in and
// out, and errors turned into messages a person can read.
export interface FieldError {
  path?: string;
  message: string;
  node_id?: string;
  edge_id?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

function cookie(name: string): string | null {
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

const STATUS_TEXT: Record<number, string> = {
  401: "You are signed out. Sign in again to continue.",
  403: "You do not have permission to do that.",
  404: "Not found, or you no longer have access to it.",
  409: "Someone changed this meanwhile; reload to see their version.",
  412: "Someone changed this meanwhile; reload to see their version.",
  413: "The document is too large.",
};

/** Turn a DRF error body into one sentence plus the field errors it names. */
export function describeError(status: number, body: unknown): { message: string; errors: FieldError[] } {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    if (Array.isArray(b.errors)) {
      const errors = b.errors as FieldError[];
      return { message: errors.map((e) => e.message).join("; ") || "The request was refused.", errors };
    }
    if (typeof b.detail === "string") return { message: b.detail, errors: [] };
    const fields = Object.entries(b).map(([k, v]) => ({
      path: k,
      message: Array.isArray(v) ? v.join(" ") : String(v),
    }));
    if (fields.length) {
      return {
        message: fields.map((f) => (f.path === "non_field_errors" ? f.message : `${f.path}: ${f.message}`)).join("; "),
        errors: fields,
      };
    }
  }
  if (status >= 500) return { message: `The server failed (${status}). Your work is kept; try again.`, errors: [] };
  return { message: STATUS_TEXT[status] ?? `Request failed (${status}).`, errors: [] };
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (method !== "GET" && method !== "HEAD") {
    const token = cookie("csrftoken");
    if (token) (init.headers as Record<string, string>)["X-CSRFToken"] = token;
  }
  if (body !== undefined) {
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "Cannot reach the server. Check your connection and try again.");
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const { message, errors } = describeError(response.status, parsed);
    throw new ApiError(response.status, message, errors, parsed);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  put: <T>(path: string, body: unknown, headers?: Record<string, string>) => request<T>("PUT", path, body, headers),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/** DRF list endpoints may paginate; accept both shapes. */
export function items<T>(page: T[] | { results: T[] }): T[] {
  return Array.isArray(page) ? page : page.results;
}
