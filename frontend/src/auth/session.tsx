/**
 * The login session: the bearer token and the account, kept in sessionStorage (see README: per tab, gone
 * when the tab closes, never shared with other sites). The account's language wins over the browser's.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import i18n from "i18next";
import { api, call, setBearer, setUnauthorizedHandler, type Account } from "../api/client";
import { isLanguage, rememberLanguage, type Language } from "../i18n";

const STORAGE_KEY = "exchange.session";

interface Stored {
  access_token: string;
  expires_at: string;
  account: Account;
}

function readStored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as Stored;
    if (!stored.access_token || Date.parse(stored.expires_at) <= Date.now()) return null;
    return stored;
  } catch {
    return null;
  }
}

function writeStored(stored: Stored | null): void {
  try {
    if (stored) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage blocked: the session lives in memory only */
  }
}

interface SessionValue {
  account: Account | null;
  /** True once a stored session has been checked with the server. */
  ready: boolean;
  /** Set when the server ended the session (expired token): the login page says so. */
  expired: boolean;
  login(email: string, password: string): Promise<Account>;
  logout(): Promise<void>;
  /** Drop the session locally (the server ended it, e.g. after erasing the account). */
  forget(): void;
  setAccount(account: Account): void;
  setLanguage(lang: Language): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(() => {
    const s = readStored();
    setBearer(s?.access_token ?? null);
    return s;
  });
  const [ready, setReady] = useState(stored === null);
  const [expired, setExpired] = useState(false);

  const save = useCallback((next: Stored | null) => {
    setBearer(next?.access_token ?? null);
    writeStored(next);
    setStored(next);
  }, []);

  const adoptLanguage = useCallback((account: Account) => {
    if (isLanguage(account.locale) && i18n.language !== account.locale) {
      rememberLanguage(account.locale);
      void i18n.changeLanguage(account.locale);
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      save(null);
      setExpired(true);
    });
    return () => setUnauthorizedHandler(null);
  }, [save]);

  // A stored session is confirmed once with the server (it may have been revoked meanwhile).
  useEffect(() => {
    if (ready || !stored) return;
    let cancelled = false;
    call(api.GET("/api/me"))
      .then((account) => {
        if (cancelled) return;
        save({ ...stored, account });
        adoptLanguage(account);
      })
      .catch(() => {
        /* 401 is handled by the unauthorized handler; other errors keep the stored account */
      })
      .finally(() => !cancelled && setReady(true));
    return () => {
      cancelled = true;
    };
  }, [ready, stored, save, adoptLanguage]);

  const login = useCallback(
    async (email: string, password: string) => {
      const session = await call(api.POST("/api/auth/login", { body: { email, password } }));
      save({ access_token: session.access_token, expires_at: session.expires_at, account: session.account });
      setExpired(false);
      adoptLanguage(session.account);
      return session.account;
    },
    [save, adoptLanguage],
  );

  const logout = useCallback(async () => {
    try {
      await call(api.POST("/api/auth/logout"));
    } catch {
      /* the token is dropped here anyway */
    }
    save(null);
  }, [save]);

  const forget = useCallback(() => save(null), [save]);

  const setAccount = useCallback(
    (account: Account) => {
      setStored((current) => {
        if (!current) return current;
        const next = { ...current, account };
        writeStored(next);
        return next;
      });
    },
    [],
  );

  const setLanguage = useCallback(
    async (lang: Language) => {
      rememberLanguage(lang);
      await i18n.changeLanguage(lang);
      if (stored && stored.account.locale !== lang) {
        // Kept per user: the e-mails and the next login use it too.
        const account = await call(api.PATCH("/api/me", { body: { locale: lang } }));
        setAccount(account);
      }
    },
    [stored, setAccount],
  );

  const value = useMemo<SessionValue>(
    () => ({ account: stored?.account ?? null, ready, expired, login, logout, forget, setAccount, setLanguage }),
    [stored, ready, expired, login, logout, forget, setAccount, setLanguage],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The logged-in account, inside a route that requires one. */
export function useAccount(): Account {
  const { account } = useSession();
  if (!account) throw new Error("useAccount without a session");
  return account;
}

export const HOME_BY_ROLE: Record<Account["role"], string> = {
  applicant: "/applicant",
  employer: "/employer",
  coordinator: "/coordinator",
  chair: "/chair",
  admin: "/admin",
};
