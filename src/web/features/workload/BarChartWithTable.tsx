import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Cell, Row, Table } from '../../components/Table';
import { formatDate } from '../conversations/format';

const NHS_BLUE = '#005eb8';
const dayMonth = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const shortDay = (date: string) => dayMonth.format(new Date(`${date}T00:00:00Z`));

/**
 * Figures per day or week as a bar chart, with the same figures in a table for screen
 * readers and anyone who prefers numbers (the chart itself is hidden from assistive
 * technology, which reads the table instead).
 */
export function BarChartWithTable({
  rows,
  dateLabel,
  valueLabel,
  caption,
  tickEvery,
}: {
  rows: { date: string; value: number }[];
  dateLabel: string;
  valueLabel: string;
  caption: string;
  /** Label every nth bar on the axis. */
  tickEvery: number;
}) {
  return (
    <>
      <div className="app-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="#d8dde0" />
            <XAxis
              dataKey="date"
              tickFormatter={shortDay}
              interval={tickEvery - 1}
              stroke="#4c6272"
            />
            <YAxis allowDecimals={false} width={40} stroke="#4c6272" />
            <Tooltip
              labelFormatter={(date) => (typeof date === 'string' ? formatDate(date) : '')}
            />
            <Bar dataKey="value" name={valueLabel} fill={NHS_BLUE} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Show these figures as a table</span>
        </summary>
        <div className="nhsuk-details__text">
          <Table caption={caption} headings={[dateLabel, valueLabel]}>
            {rows.map((row) => (
              <Row key={row.date}>
                <Cell heading={dateLabel}>{formatDate(row.date)}</Cell>
                <Cell heading={valueLabel}>{row.value}</Cell>
              </Row>
            ))}
          </Table>
        </div>
      </details>
    </>
  );
}
