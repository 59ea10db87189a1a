import { useId } from "react";

export interface BarSeries {
  key: string;
  label: string;
  className: string;
}

export interface BarRow {
  label: string;
  values: Record<string, number>;
}

/**
 * Horizontal grouped bars in plain HTML/CSS (fits a phone as well as a desktop). The figure is described
 * for screen readers; the numbers themselves are in the table that every chart sits next to.
 */
export function BarChart({
  title,
  description,
  series,
  rows,
  format,
}: {
  title: string;
  description: string;
  series: BarSeries[];
  rows: BarRow[];
  format: (n: number) => string;
}) {
  const id = useId();
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => r.values[s.key] ?? 0)));
  return (
    <figure className="bar-chart" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`}>
      <figcaption>
        <span id={`${id}-t`} className="chart-title">
          {title}
        </span>
        <span id={`${id}-d`} className="visually-hidden">
          {description}
        </span>
        <span className="legend" aria-hidden="true">
          {series.map((s) => (
            <span key={s.key} className="legend-item">
              <span className={`swatch ${s.className}`} />
              {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div className="bars" aria-hidden="true">
        {rows.map((row) => (
          <div key={row.label} className="bar-row">
            <span className="bar-label">{row.label}</span>
            <span className="bar-group">
              {series.map((s) => {
                const value = row.values[s.key] ?? 0;
                return (
                  <span key={s.key} className="bar-line">
                    <span className={`bar ${s.className}`} style={{ width: `${(value / max) * 100}%` }} />
                    <span className="bar-value">{format(value)}</span>
                  </span>
                );
              })}
            </span>
          </div>
        ))}
      </div>
    </figure>
  );
}
