/** Small charts drawn with SVG and CSS: enough for the dashboard, no chart library. */

const dayFormat = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", timeZone: "UTC" });

export function formatDay(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : dayFormat.format(date);
}

const BAR = 10;
const HEIGHT = 100;

/** Tickets per day as columns, with the numbers in a table for those who cannot see the chart. */
export function DayColumns({ days, label }: { days: { date: string; count: number }[]; label: string }) {
  const max = Math.max(1, ...days.map((day) => day.count));
  const busiest = days.reduce((best, day) => (day.count > best.count ? day : best), days[0] ?? { date: "", count: 0 });
  const first = days[0];
  const last = days[days.length - 1];
  const middle = days[Math.floor((days.length - 1) / 2)];
  const summary = `${label}: busiest day ${formatDay(busiest.date)} with ${busiest.count}.`;
  return (
    <figure className="day-chart">
      <div className="day-chart-plot">
        <span className="day-chart-max" aria-hidden="true">
          {max}
        </span>
        <svg
          role="img"
          aria-label={summary}
          viewBox={`0 0 ${days.length * BAR} ${HEIGHT}`}
          preserveAspectRatio="none"
          className="day-chart-svg"
        >
          <line x1="0" y1={HEIGHT} x2={days.length * BAR} y2={HEIGHT} className="day-chart-axis" />
          {days.map((day, index) => {
            const height = (day.count / max) * (HEIGHT - 4);
            return (
              <rect
                key={day.date}
                x={index * BAR + 1}
                y={HEIGHT - height}
                width={BAR - 2}
                height={height}
                className="day-chart-bar"
              >
                <title>{`${formatDay(day.date)}: ${day.count}`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      <div className="day-chart-labels" aria-hidden="true">
        <span>{first ? formatDay(first.date) : ""}</span>
        {days.length > 2 && middle ? <span>{formatDay(middle.date)}</span> : null}
        <span>{last && last !== first ? formatDay(last.date) : ""}</span>
      </div>
      <details className="chart-data">
        <summary>Show the numbers</summary>
        <table className="data-table">
          <caption className="visually-hidden">{label}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Tickets</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.date}>
                <th scope="row">{formatDay(day.date)}</th>
                <td>{day.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export interface BarItem {
  key: string;
  label: string;
  value: number;
}

/** Horizontal bars: a label, a bar as long as its share of the largest, and the number. */
export function BarList({ items, label }: { items: BarItem[]; label: string }) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return (
    <ul className="bar-list" aria-label={label}>
      {items.map((item) => (
        <li key={item.key} className={`bar-row bar-${item.key}`}>
          <span className="bar-label">{item.label}</span>
          <span className="bar-track" aria-hidden="true">
            <span className="bar-fill" style={{ width: `${(item.value / max) * 100}%` }} />
          </span>
          <span className="bar-value">{item.value}</span>
        </li>
      ))}
    </ul>
  );
}
