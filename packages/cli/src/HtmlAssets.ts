/**
 * The inline stylesheet and script of the HTML report. No network, no external fonts: the
 * font stack names system fonts only (CJK fonts a reader's machine has).
 *
 * @since 0.1.0
 */

/**
 * The report's stylesheet (screen, phone width and A4 print).
 *
 * @category utils
 * @since 0.1.0
 */
export const css = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--accent:#b3261e;--ok:#1a7f37;--bad:#cf222e;
--theory:#b3261e;--practice:#d4a72c;--exemplar:#2f6fbd;--other:#8c959f}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;
color:var(--fg);background:var(--bg);line-height:1.45;font-size:15px}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;margin:.2em 0;color:var(--accent)}
h2{font-size:1.2rem;border-bottom:2px solid var(--accent);padding-bottom:4px;margin-top:2em}
h3{font-size:1rem;margin:1em 0 .4em}
.meta{color:var(--muted);font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px}
.card .k{color:var(--muted);font-size:.85rem}.card .v{font-size:1.4rem;font-weight:600;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th[data-sort]{cursor:pointer;user-select:none}th[data-sort]::after{content:" ↕";color:var(--muted)}
th[aria-sort=ascending]::after{content:" ↑"}th[aria-sort=descending]::after{content:" ↓"}
details{margin-left:14px;border-left:1px solid var(--line);padding-left:8px}
details.root{margin-left:0;border-left:none;padding-left:0}
summary{cursor:pointer;padding:3px 0;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
summary .name{font-weight:600;min-width:9em}summary .tier{color:var(--muted);font-size:.8rem}
.rate{display:inline-flex;align-items:center;gap:4px;font-variant-numeric:tabular-nums}
.bar{display:inline-block;width:120px;height:10px;background:#eaeef2;border-radius:3px;overflow:hidden;vertical-align:middle}
.bar>i{display:block;height:100%;background:var(--ok)}
.leaf{margin:2px 0 6px 14px}
.stack{position:relative;display:flex;height:16px;width:100%;min-width:160px;border-radius:3px;overflow:hidden;background:#eaeef2}
.stack>i{display:block;height:100%}
.stack>b.mark{position:absolute;top:-3px;bottom:-3px;width:0;border-left:2px solid #1f2328}
.legend i.mark-key{width:2px;background:#1f2328}
td.id,td.wide{white-space:nowrap}
.theory{background:var(--theory)}.practice{background:var(--practice)}.exemplar{background:var(--exemplar)}.other{background:var(--other)}
.legend span{display:inline-flex;align-items:center;gap:4px;margin-right:12px;font-size:.85rem}
.legend i{width:12px;height:12px;display:inline-block;border-radius:2px}
tr.fail td{background:#ffebe9}.dev{color:var(--bad);font-weight:600}
.ok{color:var(--ok)}.bad{color:var(--bad)}
svg{max-width:100%;height:auto}
svg text{font-size:11px;fill:var(--muted)}
.quota{display:grid;grid-template-columns:minmax(10em,22em) 1fr;gap:2px 10px;align-items:center;font-size:.85rem}
.quota .pair{display:flex;flex-direction:column;gap:2px}
.quota .claimed{background:#8c959f;height:8px}.quota .delivered{background:var(--exemplar);height:8px}
input[type=search]{width:100%;max-width:360px;padding:6px 8px;font-size:1rem;border:1px solid var(--line);border-radius:6px;margin:6px 0}
.count{color:var(--muted);font-size:.85rem}
.panel{position:sticky;top:0;z-index:2;background:#fff;border:2px solid var(--accent);border-radius:8px;padding:8px 12px;margin:8px 0;max-height:60vh;overflow:auto;box-shadow:0 4px 12px rgba(0,0,0,.15)}
.panel h3{margin:0 0 6px}.panel .body{font-family:ui-monospace,monospace;font-size:.8rem;white-space:pre-wrap}
.panel .close{float:right;font-size:1.2rem;border:none;background:none;cursor:pointer}
a.explain{color:var(--exemplar)}
@media (max-width:600px){main{padding:8px}body{font-size:14px}.card .v{font-size:1.15rem}.bar{width:70px}
.quota{grid-template-columns:1fr}summary .name{min-width:0}.wide{display:none}td.id{white-space:normal}}
@page{size:A4;margin:14mm}
@media print{body{font-size:10.5pt}main{max-width:none;padding:0}input[type=search],.noprint{display:none}
h2{break-after:avoid}table,svg,.card,tr{break-inside:avoid}th{background:#eee}
.stack>i,.stack>b,.bar>i,.quota div{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
`

/**
 * The report's script: search and sort of tables, all details open for printing.
 *
 * @category utils
 * @since 0.1.0
 */
export const js = `
(function(){
function key(td,num){var t=td?td.getAttribute("data-v")||td.textContent:"";return num?parseFloat(t.replace(/[^0-9.+-]/g,""))||0:t}
document.querySelectorAll("table[data-sortable]").forEach(function(table){
  var heads=table.querySelectorAll("th[data-sort]");
  heads.forEach(function(th){th.addEventListener("click",function(){
    var i=Array.prototype.indexOf.call(th.parentNode.children,th),num=th.getAttribute("data-sort")==="n";
    var dir=th.getAttribute("aria-sort")==="ascending"?-1:1;
    heads.forEach(function(h){h.removeAttribute("aria-sort")});
    th.setAttribute("aria-sort",dir===1?"ascending":"descending");
    var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a.cells[i],num),y=key(b.cells[i],num);return (x<y?-1:x>y?1:0)*dir});
    rows.forEach(function(r){body.appendChild(r)});
  })});
});
document.querySelectorAll("input[data-filter]").forEach(function(input){
  var table=document.getElementById(input.getAttribute("data-filter")),out=document.getElementById(input.getAttribute("data-count"));
  input.addEventListener("input",function(){
    var q=input.value.trim().toLowerCase(),n=0;
    Array.prototype.forEach.call(table.tBodies[0].rows,function(r){var hit=q===""||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!hit;if(hit)n++});
    if(out)out.textContent=String(n);
  });
});
var panel=document.getElementById("explain-panel"),dataEl=document.getElementById("explanations"),data=dataEl?JSON.parse(dataEl.textContent):{};
function explain(){
  var m=new RegExp("^#explain/([^/]*)/(.*)$").exec(location.hash);if(!panel)return;
  if(!m){panel.hidden=true;return}
  var member=decodeURIComponent(m[1]),req=decodeURIComponent(m[2]),x=(data[member]||{})[req];
  panel.querySelector("h3").textContent=member+" · "+req;
  panel.querySelector(".body").textContent=x?["计入 counted:"].concat(x.carriedOver?[x.carriedOver]:[],x.counted.length?x.counted:["—"],["","未计入 excluded:"],x.excluded.length?x.excluded:["—"]).join("\\n"):"—";
  panel.hidden=false;panel.scrollIntoView({block:"nearest"});
}
window.addEventListener("hashchange",explain);explain();
if(panel)panel.querySelector(".close").addEventListener("click",function(){history.replaceState(null,"",location.pathname);panel.hidden=true});
window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true})});
})();
`
