import { useEffect, useState } from "react";
import { useLocation } from "react-router";
import { api, call } from "../api/client";

const EVENT = "exchange:unread-changed";

export function notifyUnreadChanged(): void {
  window.dispatchEvent(new Event(EVENT));
}

/** The unread notifications count, refreshed on every navigation, every minute, and after a change. */
export function useUnreadCount(enabled: boolean): number {
  const [count, setCount] = useState(0);
  const location = useLocation();
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    const load = () =>
      call(api.GET("/api/me/notifications/unread-count"))
        .then((r) => alive && setCount(r.unread_count))
        .catch(() => undefined);
    load();
    const timer = window.setInterval(load, 60_000);
    window.addEventListener(EVENT, load);
    return () => {
      alive = false;
      window.clearInterval(timer);
      window.removeEventListener(EVENT, load);
    };
  }, [enabled, location.pathname]);
  return enabled ? count : 0;
}
