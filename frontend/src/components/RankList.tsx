import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * An ordered list the user reorders with arrow buttons (keyboard and touch) or by dragging (mouse).
 * Every move calls onReorder with the new order of ids; the caller saves it and may refuse it (throw).
 */
export function RankList<T extends { id: string }>({
  items,
  label,
  titleOf,
  render,
  onReorder,
}: {
  items: T[];
  label: string;
  titleOf: (item: T) => string;
  render: (item: T, index: number) => ReactNode;
  onReorder: (ids: string[]) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [dragging, setDragging] = useState<string | null>(null);
  const [announce, setAnnounce] = useState("");
  const [busy, setBusy] = useState(false);

  const move = async (from: number, to: number, focusId?: string) => {
    if (to < 0 || to >= items.length || from === to || busy) return;
    const next = items.map((i) => i.id);
    const [moved] = next.splice(from, 1);
    if (moved === undefined) return;
    next.splice(to, 0, moved);
    setBusy(true);
    try {
      await onReorder(next);
      const item = items[from];
      if (item) setAnnounce(t("applications.moved", { title: titleOf(item), position: to + 1 }));
      if (focusId) requestAnimationFrame(() => document.getElementById(focusId)?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ol className="rank-list" aria-label={label}>
        {items.map((item, index) => (
          <li
            key={item.id}
            className={dragging === item.id ? "rank-item dragging" : "rank-item"}
            draggable
            onDragStart={(e) => {
              setDragging(item.id);
              e.dataTransfer.effectAllowed = "move";
              e.dataTransfer.setData("text/plain", item.id);
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const from = items.findIndex((i) => i.id === e.dataTransfer.getData("text/plain"));
              setDragging(null);
              if (from >= 0) void move(from, index);
            }}
          >
            <span className="rank-number" aria-hidden="true">
              {index + 1}
            </span>
            <div className="rank-body">{render(item, index)}</div>
            <div className="rank-buttons">
              <button
                type="button"
                id={`up-${item.id}`}
                className="icon-button"
                aria-label={t("applications.moveUp", { title: titleOf(item) })}
                disabled={index === 0 || busy}
                onClick={() => void move(index, index - 1, `up-${item.id}`)}
              >
                <span aria-hidden="true">▲</span>
              </button>
              <button
                type="button"
                id={`down-${item.id}`}
                className="icon-button"
                aria-label={t("applications.moveDown", { title: titleOf(item) })}
                disabled={index === items.length - 1 || busy}
                onClick={() => void move(index, index + 1, `down-${item.id}`)}
              >
                <span aria-hidden="true">▼</span>
              </button>
            </div>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </>
  );
}
