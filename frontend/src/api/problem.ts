/**
 * RFC 9457 problem details as the API sends them (application/problem+json), and the error the UI shows.
 * The OpenAPI schema documents only Litestar's default 400 body, so this shape is declared by hand.
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | null;
  instance?: string | null;
  errors?: FieldError[] | null;
  state?: string | null;
  retry_after?: number | null;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem, cause?: unknown) {
    super(problem.detail ?? problem.title, { cause });
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The stable problem kind: the last segment of `type` ("validation-error", "conflict", ...). */
  get kind(): string {
    const segments = this.problem.type.split("/");
    return segments[segments.length - 1] || "error";
  }

  /** Field name -> message, for the fields the server named. */
  get fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) {
      const field = error.field.replace(/^\$\./, "");
      out[field] ??= error.message;
    }
    return out;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Turn any error body into a Problem (a proxy's HTML page or a bare string too). */
export function toProblem(body: unknown, response: Response): Problem {
  if (isRecord(body) && typeof body.status === "number" && typeof body.title === "string") {
    return body as unknown as Problem;
  }
  const detail =
    isRecord(body) && typeof body.detail === "string" ? body.detail : typeof body === "string" ? body : null;
  return {
    type: `about:blank#${response.status}`,
    title: response.statusText || "Error",
    status: response.status,
    detail: detail && detail.length < 500 ? detail : null,
  };
}

export function networkProblem(): Problem {
  return { type: "about:blank#network", title: "Network error", status: 0, detail: null };
}
