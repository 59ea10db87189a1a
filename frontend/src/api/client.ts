/**
 * The typed API client: openapi-fetch over the types generated from the server's OpenAPI schema
 * (src/api/schema.d.ts, `npm run gen:api`). A renamed field or operation breaks `tsc --noEmit`.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { ApiError, networkProblem, toProblem } from "./problem";

export type Schemas = components["schemas"];
export type Account = Schemas["AccountOut"];
export type Region = Schemas["RegionOut"];
export type Quota = Schemas["QuotaOut"];
export type Organisation = Schemas["OrganisationOut"];
export type Role = Schemas["Role"];
export type Locale = Schemas["Locale"];

let bearer: string | null = null;
let language = "en";
let onUnauthorized: (() => void) | null = null;

/** The token sent with every request (set by the session, cleared on logout). */
export function setBearer(token: string | null): void {
  bearer = token;
}

export function setRequestLanguage(lang: string): void {
  language = lang;
}

/** Called when the server refuses our token (expired or revoked): the session is dropped. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (bearer) request.headers.set("Authorization", `Bearer ${bearer}`);
    request.headers.set("Accept-Language", language);
    return request;
  },
  onResponse({ request, response }) {
    // A 401 means the token is no longer valid (a wrong password on erasure is a 422 naming the field).
    if (response.status === 401 && request.headers.has("Authorization")) onUnauthorized?.();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(auth);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Await an openapi-fetch call: its data on success, an ApiError carrying the problem details otherwise. */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (cause) {
    throw new ApiError(networkProblem(), cause);
  }
  if (result.response.ok) return result.data as T;
  throw new ApiError(toProblem(result.error, result.response));
}

export type Offer = Schemas["OfferOut"];
export type OfferSummary = Schemas["OfferSummary"];
export type OfferState = Schemas["OfferState"];
export type OfferEvent = Schemas["OfferEventOut"];
export type LanguageLevel = Schemas["LanguageLevel"];
export type CefrLevel = Schemas["CefrLevel"];
export type Application = Schemas["ApplicationOut"];
export type ApplicationState = Schemas["ApplicationState"];
export type ApplicationEvent = Schemas["ApplicationEventOut"];
export type Candidate = Schemas["CandidateOut"];
export type InterviewOutcome = Schemas["InterviewOutcome"];
export type Profile = Schemas["ProfileOut"];
export type Eligibility = Schemas["EligibilityOut"];
export type Rule = Schemas["RuleOut"];
export type EmploymentStatus = Schemas["EmploymentStatus"];
export type Document = Schemas["DocumentOut"];
export type Notification = Schemas["NotificationOut"];
export type Balance = Schemas["BalanceOut"];

export const CEFR_LEVELS: CefrLevel[] = ["A1", "A2", "B1", "B2", "C1", "C2"];

/**
 * Upload a PDF as the raw request body (PUT /api/me/cv). The OpenAPI schema does not describe this body
 * (requestBody: never), so this one call goes around openapi-fetch; its answer is still the typed DocumentOut.
 */
export async function uploadCv(file: File): Promise<Document> {
  const headers: Record<string, string> = { "Content-Type": "application/pdf", "Accept-Language": language };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch(`/api/me/cv?filename=${encodeURIComponent(file.name)}`, { method: "PUT", headers, body: file });
  } catch (cause) {
    throw new ApiError(networkProblem(), cause);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  if (response.status === 401 && bearer) onUnauthorized?.();
  if (!response.ok) throw new ApiError(toProblem(body, response));
  return body as Document;
}

/** Open a short-lived download link in a new tab (the window is opened first, so pop-up blockers allow it). */
export async function openDownload(fetchLink: () => Promise<{ url: string }>): Promise<void> {
  const tab = window.open("", "_blank");
  if (tab) tab.opener = null;
  try {
    const { url } = await fetchLink();
    if (tab) tab.location.href = url;
    else window.location.href = url;
  } catch (e) {
    tab?.close();
    throw e;
  }
}

type BlobResult = { data?: Blob; error?: unknown; response: Response };

/** Save a file answer (CSV exports) under the name the server gives in Content-Disposition. */
export async function saveFile(request: Promise<BlobResult>, fallbackName: string): Promise<void> {
  let result: BlobResult;
  try {
    result = await request;
  } catch (cause) {
    throw new ApiError(networkProblem(), cause);
  }
  if (!result.response.ok || !result.data) throw new ApiError(toProblem(result.error, result.response));
  const disposition = result.response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(result.data);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
