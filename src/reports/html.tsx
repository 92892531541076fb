/**
 * The HTML rendering of a published report (hono/jsx): a standalone page for the unguessable
 * funder link and a fragment for staff pages. Styles are classes in src/ui/styles.ts (the CSP
 * forbids inline styles and scripts); charts are inline SVG from svg.ts; printing uses the same
 * page with the print rules of the stylesheet.
 */
import { raw } from 'hono/html';
import { formatMoney, type Locale } from '../ui/i18n';
import { chartData } from './charts';
import type { Cell, PublishedBreakdown, PublishedIndicator, PublishedMoneyTable, PublishedReport } from './publish';
import { renderChartSvg } from './svg';
import {
  formatCount,
  formatGeneratedAt,
  formatIndicatorCell,
  formatPeriod,
  indicatorDetails,
  L,
  legendLines,
  markOf,
  SCOPE_LABEL,
  tr,
} from './text';

function Num(props: { cell: Cell<number>; locale: Locale; total?: boolean; row: string; col: string }) {
  const mark = markOf(props.cell);
  const cls = ['num', props.total ? 'total' : '', mark ? 'hidden-mark' : ''].filter(Boolean).join(' ');
  return (
    <td class={cls} data-row={props.row} data-col={props.col} data-suppressed={mark ? (props.cell.kind === 'small' ? 'small' : 'complementary') : undefined}>
      {formatCount(props.cell, props.locale)}
    </td>
  );
}

function IndicatorCard(props: { ind: PublishedIndicator; locale: Locale }) {
  const { ind, locale } = props;
  const mark = markOf(ind.value);
  return (
    <div class="indicator" id={`indicator-${ind.id}`}>
      <h4>{tr(locale, ind.label)}</h4>
      <p class={mark ? 'indicator-value hidden-mark' : 'indicator-value'}>{formatIndicatorCell(ind, ind.value, locale)}</p>
      <p class="indicator-def">
        <span class="muted">{L.definition[locale]}: </span>
        {tr(locale, ind.definition)}
      </p>
      {indicatorDetails(ind, locale).length ? (
        <dl class="indicator-details">
          {indicatorDetails(ind, locale).map((d) => (
            <div>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}

function BreakdownTableView(props: { b: PublishedBreakdown; locale: Locale }) {
  const { b, locale } = props;
  return (
    <div class="table-wrap report-table" id={`breakdown-${b.id}`}>
      <table>
        <caption>
          {tr(locale, b.title)}
          {b.description ? <span class="muted"> · {tr(locale, b.description)}</span> : null}
        </caption>
        <thead>
          <tr>
            <th scope="col">{b.oneWay ? tr(locale, b.rowsLabel) : `${tr(locale, b.rowsLabel)} \\ ${tr(locale, b.columnsLabel)}`}</th>
            {b.columns.map((c) => (
              <th scope="col" class="num">
                {tr(locale, c.label)}
              </th>
            ))}
            {b.oneWay ? null : (
              <th scope="col" class="num">
                {L.total[locale]}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {b.rows.map((r, i) => (
            <tr>
              <th scope="row">{tr(locale, r.label)}</th>
              {b.cells[i]!.map((c, j) => (
                <Num cell={c} locale={locale} row={r.key} col={b.columns[j]!.key} />
              ))}
              {b.oneWay ? null : <Num cell={b.rowTotals[i]!} locale={locale} total row={r.key} col="total" />}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{L.total[locale]}</th>
            {b.columnTotals.map((c, j) => (
              <Num cell={c} locale={locale} total row="total" col={b.columns[j]!.key} />
            ))}
            {b.oneWay ? null : <Num cell={b.grandTotal} locale={locale} total row="total" col="total" />}
          </tr>
        </tfoot>
      </table>
      {b.withheld ? <p class="report-legend">{L.withheld[locale]}</p> : null}
    </div>
  );
}

function MoneyTableView(props: { m: PublishedMoneyTable; locale: Locale }) {
  const { m, locale } = props;
  const amount = (v: bigint) => formatMoney(v, m.currency, locale);
  return (
    <div class="table-wrap report-table" id={`money-${m.id}`}>
      <table>
        <caption>
          {tr(locale, m.title)}
          {m.description ? <span class="muted"> · {tr(locale, m.description)}</span> : null}
        </caption>
        <tbody>
          <tr class="subtotal">
            <th scope="row">{L.openingBalance[locale]}</th>
            <td class="num">{amount(m.openingBalance)}</td>
          </tr>
          <tr>
            <th scope="rowgroup" colspan={2} class="group">
              {L.sources[locale]}
            </th>
          </tr>
          {m.sources.map((l) => (
            <tr>
              <th scope="row" class="item">
                {tr(locale, l.label)}
              </th>
              <td class="num">{amount(l.amount)}</td>
            </tr>
          ))}
          <tr class="subtotal">
            <th scope="row">{L.totalSources[locale]}</th>
            <td class="num">{amount(m.totalSources)}</td>
          </tr>
          <tr>
            <th scope="rowgroup" colspan={2} class="group">
              {L.uses[locale]}
            </th>
          </tr>
          {m.uses.map((l) => (
            <tr>
              <th scope="row" class="item">
                {tr(locale, l.label)}
              </th>
              <td class="num">{amount(l.amount)}</td>
            </tr>
          ))}
          <tr class="subtotal">
            <th scope="row">{L.totalUses[locale]}</th>
            <td class="num">{amount(m.totalUses)}</td>
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{L.closingBalance[locale]}</th>
            <td class="num">{amount(m.closingBalance)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Legend(props: { report: PublishedReport; locale: Locale }) {
  const lines = legendLines(props.report.hidden, props.locale);
  return lines.length ? (
    <ul class="report-legend">
      {lines.map((l) => (
        <li>{l}</li>
      ))}
    </ul>
  ) : null;
}

/** The report itself, to place inside a page (the staff layout or ReportPage). */
export function ReportView(props: { report: PublishedReport; locale: Locale }) {
  const { report, locale } = props;
  const { meta } = report;
  return (
    <article class="report" lang={locale}>
      <header class="report-head">
        <p class="report-org">{tr(locale, meta.orgName)}</p>
        <h1>{tr(locale, meta.title)}</h1>
        <dl class="report-meta">
          <div>
            <dt>{SCOPE_LABEL[meta.scope.kind][locale]}</dt>
            <dd>{tr(locale, meta.scope.label)}</dd>
          </div>
          <div>
            <dt>{L.period[locale]}</dt>
            <dd>{formatPeriod(meta, locale)}</dd>
          </div>
          <div>
            <dt>{L.generatedAt[locale]}</dt>
            <dd>
              <time datetime={meta.generatedAt}>{formatGeneratedAt(meta, locale)}</time>
            </dd>
          </div>
          <div>
            <dt>{L.version[locale]}</dt>
            <dd>{String(meta.version)}</dd>
          </div>
        </dl>
        {meta.summary ? <p class="report-summary">{tr(locale, meta.summary)}</p> : null}
      </header>

      <section class="report-section" aria-labelledby="report-indicators">
        <h2 id="report-indicators">{L.indicators[locale]}</h2>
        {report.groups.map((g) => (
          <div class="indicator-group" id={`group-${g.id}`}>
            <h3>{tr(locale, g.title)}</h3>
            {g.description ? <p class="muted">{tr(locale, g.description)}</p> : null}
            <div class="indicators">
              {g.indicators.map((ind) => (
                <IndicatorCard ind={ind} locale={locale} />
              ))}
            </div>
          </div>
        ))}
      </section>

      {report.breakdowns.length ? (
        <section class="report-section" aria-labelledby="report-breakdowns">
          <h2 id="report-breakdowns">{L.breakdowns[locale]}</h2>
          {report.breakdowns.map((b) => (
            <BreakdownTableView b={b} locale={locale} />
          ))}
          <Legend report={report} locale={locale} />
        </section>
      ) : null}

      {report.moneyTables.length ? (
        <section class="report-section" aria-labelledby="report-money">
          <h2 id="report-money">{L.money[locale]}</h2>
          {report.moneyTables.map((m) => (
            <MoneyTableView m={m} locale={locale} />
          ))}
        </section>
      ) : null}

      {report.charts.length ? (
        <section class="report-section" aria-labelledby="report-charts">
          <h2 id="report-charts">{L.charts[locale]}</h2>
          {report.charts.map((c) => (
            <figure class="report-figure" id={`chart-${c.id}`}>
              <figcaption>
                {tr(locale, c.title)}
                {c.description ? <span class="muted"> · {tr(locale, c.description)}</span> : null}
              </figcaption>
              {raw(renderChartSvg(chartData(report, c, locale)))}
            </figure>
          ))}
        </section>
      ) : null}

      <footer class="report-foot">
        <p>{L.privacy[locale]}</p>
        <Legend report={report} locale={locale} />
      </footer>
    </article>
  );
}

/**
 * A whole page for the report link: no account, no navigation. `stylesheet` is the app's
 * stylesheet URL; `alternates` lists the other formats (PDF, CSV, JSON, XML) to link to.
 */
export function ReportPage(props: { report: PublishedReport; locale: Locale; stylesheet?: string; alternates?: { href: string; label: string }[] }) {
  const { report, locale } = props;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${tr(locale, report.meta.title)} · Sẻ Chia`}</title>
        <link rel="stylesheet" href={props.stylesheet ?? '/assets/app.css'} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <main class="report-page">
          {props.alternates?.length ? (
            <nav class="report-formats no-print" aria-label={locale === 'vi' ? 'Định dạng khác' : 'Other formats'}>
              {props.alternates.map((a) => (
                <a href={a.href}>{a.label}</a>
              ))}
            </nav>
          ) : null}
          <ReportView report={report} locale={locale} />
        </main>
      </body>
    </html>
  );
}

/** The page as an HTML string (with doctype). */
export async function renderReportHtml(report: PublishedReport, locale: Locale, options: { stylesheet?: string; alternates?: { href: string; label: string }[] } = {}): Promise<string> {
  const page = <ReportPage report={report} locale={locale} stylesheet={options.stylesheet} alternates={options.alternates} />;
  return `<!doctype html>${await page.toString()}`;
}
