import { ApiError } from "../api/problem";

/** A resource that may not exist yet (404 -> null), e.g. the profile before it is first saved. */
export async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
