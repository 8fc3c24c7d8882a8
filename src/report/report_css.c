/* report_css.c: the one style sheet of every page, inline in its <head> (so
 * nothing is fetched): readable at a phone's width, at a desktop's and on
 * paper. */
#include "autoconfig.h"

#include "report_int.h"

const char report_css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'Noto Sans CJK JP',sans-serif;margin:0 auto;max-width:1400px;padding:0 14px;color:#1d232b;"
    "background:#fff}"
    "h1{font-size:1.6em;margin:.8em 0 .2em}h2{margin-top:1.8em;border-bottom:2px solid #d8dee6;"
    "padding-bottom:.2em}h3{font-size:1em;margin:.2em 0}"
    "figure{margin:1em 0 1.6em;overflow-x:auto}svg{width:100%;height:auto;display:block}"
    /* the full-width charts keep legible text on a phone: they scroll sideways */
    "svg[viewBox^='0 0 960']{min-width:620px}"
    /* a chart drawn twice: the narrow one for a phone, the wide one after it */
    "svg.narrow{display:none}@media (max-width:600px){svg.narrow{display:block}"
    "svg.narrow+svg{display:none}}"
    "svg text{font:11px system-ui,sans-serif;fill:#3b4652}svg .label{font-size:12px;fill:#1d232b}"
    "svg .grid{stroke:#e6eaef}svg .axis{stroke:#8a96a3}svg .bar{fill:#3f7fbf}"
    "svg .bar2{fill:#e07b39}svg .line{fill:none;stroke:#c0392b;stroke-width:2}"
    "svg .line2{fill:none;stroke:#3f7fbf;stroke-width:2}svg .dot{fill:#3f7fbf}"
    "svg .empty{fill:#f1f3f6}"
    ".q0{fill:#f1f3f6}.q1{fill:#c6dbef}.q2{fill:#9ecae1}.q3{fill:#6baed6}.q4{fill:#3182bd}"
    ".q5{fill:#08519c}"
    "table{border-collapse:collapse;margin:.4em 0;font-size:.92em}"
    "th,td{border-bottom:1px solid #e6eaef;padding:3px 8px;text-align:left;vertical-align:top}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "td.t{overflow-wrap:anywhere;min-width:6em}.wrap td.t{min-width:8em}"
    "td.d{white-space:nowrap}"
    "details{margin:.3em 0 1em}summary{cursor:pointer;color:#3f7fbf}"
    /* a grid cell may shrink below its table's widest word: the names wrap */
    ".wrap{overflow-x:auto}.grid2{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(min(100%,330px),1fr));gap:8px 20px}.grid2>*{min-width:0}"
    ".grid2 table{width:100%}.grid2.tops{grid-template-columns:repeat(auto-fill,"
    "minmax(min(100%,560px),1fr))}"
    /* charts whose tables need 420 px (a punchcard's hours by weekdays) */
    ".grid2.wide2{grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr))}"
    /* a third top list alone on its row takes the row: no empty cell beside it */
    ".grid2.tops>div:nth-child(3):last-child{grid-column:1/-1}.note{color:#5b6673;font-size:.9em}"
    ".mark{color:#8a5a00;font-size:.85em}.mv{color:#5b6673;font-size:.85em}"
    "nav.toc{line-height:1.8;margin:.4em 0}nav.toc a{margin-right:.5em;white-space:nowrap}"
    "a{color:#1f5f9f}nav.site{padding:.5em 0;border-bottom:1px solid #e6eaef;line-height:1.8}"
    "nav.site a{margin-right:.15em}h1.name{overflow-wrap:anywhere}"
    "svg .part{fill:#9fc2e4}svg .thin{fill:#c9ced6}svg .hatch{fill:#eef0f3}"
    "svg .tag{font-size:10px;fill:#3b4652}svg .tag.on{fill:#fff}"
    "dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px}dl.kv dt{color:#5b6673}"
    "dl.kv dd{margin:0;overflow-wrap:anywhere}"
    /* the calendars' legend (fixed bins), the busiest day outlined, the compact
     * calendar of every year by month */
    ".legend{font-size:.85em;color:#5b6673;margin:.2em 0}.sw{display:inline-block;width:11px;"
    "height:11px;margin:0 3px 0 8px;vertical-align:-1px;border-radius:2px}"
    ".sw.q1,.cal td.q1{background:#c6dbef}.sw.q2,.cal td.q2{background:#9ecae1}"
    ".sw.q3,.cal td.q3{background:#6baed6}.sw.q4,.cal td.q4{background:#3182bd}"
    ".sw.q5,.cal td.q5{background:#08519c}.cal td.q0{background:#f1f3f6}"
    ".sw.peak{box-sizing:border-box;border:2px solid #d6336c}svg rect.peak{stroke:#d6336c;"
    "stroke-width:2}table.cal{width:100%;table-layout:fixed;border-collapse:separate;"
    "border-spacing:2px}table.cal th{font-weight:normal;color:#5b6673;text-align:center;"
    "padding:1px;border:0}table.cal th:first-child{width:3.2em;text-align:right}"
    "table.cal td{border:0;padding:3px 1px;text-align:center;font-size:.72em;"
    "font-variant-numeric:tabular-nums;border-radius:2px;height:1.5em;overflow:hidden}"
    "table.cal td a{display:block;color:inherit;text-decoration:none}"
    ".cal td.q4,.cal td.q5{color:#fff}"
    "@media (max-width:700px){table.cal td span{display:none}table.cal td a{height:1.5em}}"
    /* a phone keeps a wide table's name and plays; its other columns (the
     * wrap's h2..h9) come back with the "all columns" toggle before it */
    ".more{display:none}"
    "@media (max-width:600px){dl.kv{grid-template-columns:1fr;gap:0}dl.kv dd{margin-bottom:.5em}"
    "body{font-size:14px}.more{display:block;margin:.1em 0 0;font-size:.85em}"
    ".more:not([open])+.h2 :is(th,td):nth-child(2),"
    ".more:not([open])+.h3 :is(th,td):nth-child(3),"
    ".more:not([open])+.h4 :is(th,td):nth-child(4),"
    ".more:not([open])+.h5 :is(th,td):nth-child(5),"
    ".more:not([open])+.h6 :is(th,td):nth-child(6),"
    ".more:not([open])+.h7 :is(th,td):nth-child(7),"
    ".more:not([open])+.h8 :is(th,td):nth-child(8),"
    ".more:not([open])+.h9 :is(th,td):nth-child(9){display:none}"
    "}"
    "@media print{details{display:block}details>*{display:block}summary{display:none}"
    "figure,table{break-inside:avoid}body{max-width:none}}";
