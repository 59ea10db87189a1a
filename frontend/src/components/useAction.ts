import { useCallback, useState, type FormEvent } from "react";
import { ApiError, networkProblem } from "../api/problem";

/** Run a form's action: pending flag, the API error to show, and no double submission. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setPending(true);
      setError(null);
      try {
        return await action(...args);
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError(networkProblem(), e));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [action],
  );

  const onSubmit = useCallback(
    (event: FormEvent) => {
      event.preventDefault();
      if (!pending) void run(...([] as unknown as A));
    },
    [pending, run],
  );

  const fieldError = (name: string): string | undefined => error?.fields[name];
  return { run, onSubmit, pending, error, setError, fieldError };
}
