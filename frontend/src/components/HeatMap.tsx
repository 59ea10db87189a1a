import { useTranslation } from "react-i18next";

/** Five steps of the primary colour; text switches to white where dark text would lose contrast (WCAG AA). */
const STEPS = [0.1, 0.25, 0.4, 0.75, 0.9];

/**
 * A flow matrix as a real table (rows: from, columns: to), each cell shaded by its count. The numbers stay
 * in the cells, so the chart reads the same with a screen reader, in high-contrast mode or printed.
 */
export function HeatMap({
  caption,
  rows,
  columns,
  value,
  format,
}: {
  caption: string;
  rows: { key: string; label: string }[];
  columns: { key: string; label: string }[];
  value: (row: string, column: string) => number;
  format: (n: number) => string;
}) {
  const { t } = useTranslation();
  const max = Math.max(1, ...rows.flatMap((r) => columns.map((c) => value(r.key, c.key))));
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="heatmap">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("stats.from")}</th>
            {columns.map((c) => (
              <th scope="col" key={c.key}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {columns.map((c) => {
                const n = value(r.key, c.key);
                const step = n > 0 ? Math.min(STEPS.length - 1, Math.ceil((n / max) * STEPS.length) - 1) : -1;
                const style =
                  step >= 0
                    ? { background: `rgb(31 58 138 / ${STEPS[step]})`, color: step >= 3 ? "#fff" : undefined }
                    : undefined;
                return (
                  <td key={c.key} style={style} className={r.key === c.key ? "diagonal" : undefined}>
                    {n > 0 ? format(n) : ""}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
