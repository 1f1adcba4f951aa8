/**
 * A figure of the statistics page as a bar chart (Apache ECharts), with its numbers one click away.
 *
 * Only the parts drawn are imported, through echarts/core, so the console's bundle carries no more of
 * ECharts than bars and their axes. The SVG renderer draws markup, not pixels: it prints sharp, and a
 * browser test can read the bars and their labels. A chart says nothing to a screen reader, so its box is
 * an image (role="img") whose name is the summary of every bar in words, and the same numbers are a table
 * under 查看数据, the table the chart is drawn from.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { STATISTICS_NAMES } from './labels';

echarts.use([BarChart, GridComponent, SVGRenderer]);

export interface Bar {
  label: string;
  value: number;
  /** The value as the summary and the bar's own label say it (8 件, 75.0%). */
  shown: string;
}

/** The ink and accent of styles.css: text on the chart keeps the page's contrast. */
const INK = '#1b1f24';
const ACCENT = '#0b5cad';
const BAR_HEIGHT = 30;

function option(bars: Bar[], max: number | undefined): echarts.EChartsCoreOption {
  // Categories run bottom-up on a vertical axis: reversed, the first bar is on top, as in the table.
  const shown = [...bars].reverse();
  return {
    // Drawn at once and the same every time: for print, and for the test that reads it.
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max, minInterval: 1, axisLabel: { color: INK } },
    yAxis: { type: 'category', data: shown.map((b) => b.label), axisLabel: { color: INK, width: 220, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: shown.map((b) => b.value),
        itemStyle: { color: ACCENT },
        barMaxWidth: 20,
        label: { show: true, position: 'right', color: INK, formatter: (p: { dataIndex: number }) => shown[p.dataIndex]?.shown ?? '' },
      },
    ],
  };
}

export function BarFigure({ id, title, bars, max, head, rows }: {
  /** Names the figure for tests and print: data-chart. */
  id: string;
  title: string;
  bars: Bar[];
  /** The axis's end where it is fixed (100 for a rate in per cent). */
  max?: number;
  /** The table of the numbers: its column heads and rows. */
  head: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const data = JSON.stringify([bars, max]);
  useEffect(() => {
    if (!box.current || bars.length === 0) return undefined;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.setOption(option(bars, max));
    const resized = new ResizeObserver(() => chart.resize());
    resized.observe(box.current);
    return () => {
      resized.disconnect();
      chart.dispose();
    };
    // Drawn again only when its numbers change, not on every render of the page.
  }, [data]);
  const headingId = `chart-${id}`;
  const summary = bars.length ? `${title}：${bars.map((b) => `${b.label} ${b.shown}`).join('，')}` : `${title}：${STATISTICS_NAMES.none}`;
  return (
    <figure className="chart" data-chart={id} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {bars.length ? (
        <div ref={box} className="chart-box" role="img" aria-label={summary} style={{ height: `${bars.length * BAR_HEIGHT + 40}px` }} />
      ) : (
        <p className="muted">{STATISTICS_NAMES.none}</p>
      )}
      <details className="chart-data">
        <summary>
          {STATISTICS_NAMES.showData}
          <span className="sr-only">：{title}</span>
        </summary>
        <table aria-label={title}>
          <thead>
            <tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>{r.cells.map((c, i) => (i === 0 ? <th key={i} scope="row">{c}</th> : <td key={i}>{c}</td>))}</tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
