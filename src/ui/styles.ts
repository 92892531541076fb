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
progress.goal{width:100%;height:1rem;accent-color:var(--ok)}
.amounts{display:flex;flex-wrap:wrap;gap:.5rem}
.amounts label{font-weight:600;border:1px solid #b9b4a8;border-radius:.35rem;padding:.45rem .8rem;background:#fff;display:flex;gap:.4rem;align-items:center;margin:0}
fieldset{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:0}
legend{font-weight:600;padding:0 .3rem}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
.qr svg{max-width:100%;height:auto;border:1px solid var(--line)}
.two-col{display:grid;gap:1rem}
@media(min-width:48rem){.two-col{grid-template-columns:1fr 1fr}}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-weight:600;word-break:break-all}
.statement{max-width:48rem}
.row-actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:end}
.row-actions input,.row-actions select{width:auto}
@media print{header.top,footer,.no-print{display:none}body{background:#fff}main{max-width:none}}
`;
