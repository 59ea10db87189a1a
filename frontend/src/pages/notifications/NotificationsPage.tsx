import { useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Notification } from "../../api/client";
import { Page } from "../../components/Page";
import { Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { notifyUnreadChanged } from "../../lib/unread";

/** A link of this site becomes an in-app route; anything else stays an ordinary link. */
function inApp(link: string): string | null {
  try {
    const url = new URL(link, window.location.origin);
    return url.origin === window.location.origin ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

export function NotificationsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [pages, setPages] = useState<Notification[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useAsync(async () => {
    const page = await call(api.GET("/api/me/notifications", { params: { query: { limit: 20, unread_only: unreadOnly } } }));
    setPages([page.items]);
    setCursor(page.next_cursor ?? null);
    return page;
  }, [unreadOnly]);
  const more = useAction(async () => {
    if (!cursor) return;
    const page = await call(
      api.GET("/api/me/notifications", { params: { query: { limit: 20, cursor, unread_only: unreadOnly } } }),
    );
    setPages((p) => [...p, page.items]);
    setCursor(page.next_cursor ?? null);
  });
  const markAll = useAction(async () => {
    await call(api.POST("/api/me/notifications/read-all"));
    notifyUnreadChanged();
    first.reload();
  });
  const markOne = useAction(async (id: string) => {
    const updated = await call(api.POST("/api/me/notifications/{notification_id}/read", { params: { path: { notification_id: id } } }));
    setPages((p) => p.map((items) => items.map((n) => (n.id === id ? updated : n))));
    notifyUnreadChanged();
  });
  const items = pages.flat();

  return (
    <Page
      title={t("notifications.title")}
      actions={
        (first.data?.unread_count ?? 0) > 0 && (
          <button type="button" className="button button-secondary" disabled={markAll.pending} onClick={() => void markAll.run()}>
            {t("notifications.markAll")}
          </button>
        )
      }
    >
      <label className="choice">
        <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
        {t("notifications.onlyUnread")}
      </label>
      {first.loading && <Loading />}
      {(first.error ?? markAll.error ?? markOne.error ?? more.error) && (
        <ProblemAlert error={(first.error ?? markAll.error ?? markOne.error ?? more.error)!} />
      )}
      {first.data && items.length === 0 && <p>{t("notifications.empty")}</p>}
      <ul className="plain-list notifications">
        {items.map((n) => {
          const route = n.link ? inApp(n.link) : null;
          return (
            <li key={n.id} className={n.read_at ? "card compact" : "card compact unread"}>
              <div className="application-head">
                <h2 className="h-small">
                  {!n.read_at && <span className="badge badge-info">{t("notifications.unread")}</span>} {n.title}
                </h2>
                <time className="muted small" dateTime={n.created_at}>
                  {f.dateTime(n.created_at)}
                </time>
              </div>
              <p>{n.summary}</p>
              <div className="form-actions">
                {route ? (
                  <Link to={route} onClick={() => !n.read_at && void markOne.run(n.id)}>
                    {t("notifications.open")}
                  </Link>
                ) : n.link ? (
                  <a href={n.link}>{t("notifications.open")}</a>
                ) : null}
                {!n.read_at && (
                  <button type="button" className="button button-ghost button-small" onClick={() => void markOne.run(n.id)}>
                    {t("notifications.markRead")}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {cursor && (
        <button type="button" className="button button-secondary" disabled={more.pending} onClick={() => void more.run()}>
          {t("notifications.more")}
        </button>
      )}
    </Page>
  );
}
