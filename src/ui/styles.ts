/** One small stylesheet, served at /assets/app.css: fast on a phone, readable when printed. */
export const APP_CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--bg:#fbfaf7;--card:#fff;--line:#e3e0d8;--accent:#b4451f;--accent-fg:#fff;--ok:#256b3a;--warn:#8a5a00;--err:#a1261b}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);line-height:1.5}
body{margin:0}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:10}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.6rem 1rem;background:#fff;border-bottom:1px solid var(--line)}
header.top .brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--fg)}
header.top nav{display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:.95rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.4rem 0 1rem}
h2{font-size:1.2rem;margin:1.4rem 0 .6rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.8rem}
.card .n{font-size:1.6rem;font-weight:700}
.card .l{color:var(--muted);font-size:.9rem}
form.stack{display:grid;gap:.8rem;max-width:32rem}
label{font-weight:600;display:block;margin-bottom:.2rem}
input,select,textarea{font:inherit;padding:.55rem .6rem;border:1px solid #b9b4a8;border-radius:.35rem;width:100%;background:#fff}
input[type=checkbox],input[type=radio]{width:auto}
button,.button{font:inherit;font-weight:600;background:var(--accent);color:var(--accent-fg);border:0;border-radius:.35rem;padding:.6rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#e9e5dc;color:var(--fg)}
:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
.notice{padding:.7rem .9rem;border-radius:.4rem;background:#fff6e0;border:1px solid #e9cf8f}
.error{padding:.7rem .9rem;border-radius:.4rem;background:#fdecea;border:1px solid #e6a39c;color:var(--err)}
.ok{padding:.7rem .9rem;border-radius:.4rem;background:#e8f5ec;border:1px solid #9fd0ae;color:var(--ok)}
.field-error{color:var(--err);font-size:.9rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
.progress{height:.8rem;background:#ece8df;border-radius:.4rem;overflow:hidden}
.progress>span{display:block;height:100%;background:var(--ok)}
.badge{display:inline-block;font-size:.8rem;padding:.05rem .45rem;border-radius:1rem;background:#ece8df}
.table-wrap{overflow-x:auto}
.inline{display:inline}
footer{color:var(--muted);font-size:.85rem;padding:2rem 1rem;text-align:center}
/* cases: phone-first forms, tiles for quick choices, the identifying-data box */
.small{font-size:.85rem;margin:.1rem 0 .3rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}.row.between{justify-content:space-between;align-items:center}.grow{flex:1 1 12rem}
.grid2,.grid3{display:grid;gap:.6rem;grid-template-columns:1fr 1fr}.grid3{grid-template-columns:1fr 1fr 1fr}
form.stack.wide{max-width:44rem}
fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.6rem .8rem;margin:0;min-width:0}
legend{font-weight:600;padding:0 .3rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.45rem}
.tile{display:flex;gap:.45rem;align-items:center;font-weight:500;margin:0;padding:.65rem .6rem;min-height:2.9rem;border:1px solid #b9b4a8;border-radius:.45rem;background:#fff;cursor:pointer}
.tile:has(input:checked){border-color:var(--accent);background:#fbeee8;box-shadow:inset 0 0 0 1px var(--accent)}
.tiles-set[aria-invalid=true]{border-color:var(--err)}
button.block{width:100%;padding:.85rem 1rem;font-size:1.05rem}
button.danger{background:var(--err)}
.panel{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.2rem .9rem .9rem}
.sensitive{border:2px dashed #c98a6b;border-radius:.5rem;padding:.4rem .9rem .9rem;background:#fffaf6}
.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem;align-items:end;margin-bottom:.8rem}
.filters-go{display:flex;align-items:flex-end}
dl.kv{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.3rem 1rem;margin:0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
ul.plain{list-style:none;padding:0;margin:.4rem 0}ul.plain li{padding:.35rem 0;border-bottom:1px solid var(--line)}
label.check{display:flex;gap:.5rem;align-items:center;font-weight:500}
.badge{margin-right:.25rem}
.st-intake{background:#e6eefc}.st-assessment{background:#fff1cc}.st-intervention{background:#e8f5ec}.st-closed{background:#ece8df;color:var(--muted)}
@media (max-width:30rem){.grid3{grid-template-columns:1fr 1fr}}
@media (max-width:40rem){table.cards-sm,table.cards-sm tbody,table.cards-sm tfoot{display:block;width:100%}table.cards-sm thead{display:none}table.cards-sm tr{display:block;border-bottom:2px solid var(--line);padding:.3rem 0}table.cards-sm td{display:flow-root;border:0;padding:.2rem .5rem;text-align:right;overflow-wrap:anywhere}table.cards-sm td::before{content:attr(data-label);color:var(--muted);font-size:.85rem;float:left;max-width:45%;margin-right:.8rem;text-align:left}table.cards-sm td:empty{display:none}table.cards-sm td>*{max-width:100%}table.cards-sm td select{max-width:100%}}
progress.goal{width:100%;height:1rem;accent-color:var(--ok)}
.campaign-list{list-style:none;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,20rem),1fr))}.campaign-list h3{margin:0}
.amounts{display:flex;flex-wrap:wrap;gap:.5rem}
.amounts label{font-weight:600;border:1px solid #b9b4a8;border-radius:.35rem;padding:.45rem .8rem;background:#fff;display:flex;gap:.4rem;align-items:center;margin:0}
fieldset{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:0}
legend{font-weight:600;padding:0 .3rem}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
.qr svg{max-width:100%;height:auto;border:1px solid var(--line)}
.two-col{display:grid;gap:1rem}
@media(min-width:48rem){.two-col{grid-template-columns:1fr 1fr}}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;margin:0}.figures>div{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.6rem .75rem;display:flex;flex-direction:column-reverse;gap:.15rem}.figures dd{margin:0;font-size:1.45rem;font-weight:700;line-height:1.2}.figures dt{font-size:.92rem;color:var(--muted)}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-weight:600;word-break:break-all}
.statement{max-width:48rem}
.row-actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:end}
.row-actions input,.row-actions select{width:auto}
@media print{header.top,footer,.no-print{display:none}body{background:#fff}main{max-width:none}}
/* Funder reports (src/reports/html.tsx) */
.report-page{max-width:60rem}
.report-formats{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin-bottom:1rem}
.report-head{border-bottom:2px solid var(--fg);padding-bottom:.8rem;margin-bottom:1rem}
.report-org{color:var(--muted);margin:0}
.report-meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.4rem 1rem;margin:.6rem 0}
.report-meta dt,.indicator-details dt{font-size:.8rem;color:var(--muted)}
.report-meta dd,.indicator-details dd{margin:0;font-weight:600}
.report-summary{font-size:1.05rem}
.indicators{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.75rem}
.indicator{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.8rem}
.indicator h4{margin:0 0 .3rem;font-size:1rem}
.indicator-value{font-size:1.6rem;font-weight:700;margin:0;font-variant-numeric:tabular-nums}
.indicator-def{font-size:.85rem;margin:.4rem 0}
.indicator-details{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.3rem 0 0}
.report-table{margin:1rem 0}
.report-table caption{text-align:left;font-weight:600;padding:.3rem 0}
.report-table td.total,.report-table tfoot th,.report-table tr.subtotal th,.report-table tr.subtotal td{font-weight:700}
.report-table th.group{color:var(--fg);background:#f4f1ea}
.report-table th.item{font-weight:400;padding-left:1.2rem;color:var(--fg)}
.hidden-mark{color:var(--muted);font-style:italic}
.report-legend{font-size:.85rem;color:var(--muted);padding-left:1.1rem}
.report-figure{margin:1rem 0}
.report-figure figcaption{font-weight:600;margin-bottom:.4rem}
.report-chart{max-width:100%;height:auto}
.report-foot{border-top:1px solid var(--line);margin-top:2rem;padding:.5rem 0;text-align:left;font-size:.85rem;color:var(--muted)}
.report-table tbody th,.report-table tfoot th{color:var(--fg)}
@media print{
@page{size:A4;margin:16mm 14mm}
html{font-size:10.5pt}
.report-page{max-width:none;padding:0}
.indicator,.report-table,.report-figure{break-inside:avoid}
.report-section h2,.indicator-group h3{break-after:avoid}
.indicator{border-color:#bbb}
.report-table .table-wrap,.table-wrap{overflow:visible}
a{color:inherit;text-decoration:none}
}
`;
