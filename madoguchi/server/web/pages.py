"""Small HTML pages served by the hall server: a resident's phone status page and the browser call board.

No framework: the phone page refreshes itself with a meta refresh; the board uses a few lines of JS over the
same WebSocket event stream as the Qt board. Pages show numbers and counters only, never anyone's data.
"""

from __future__ import annotations

import html

from madoguchi.core import api_models as m
from madoguchi.core.config import SHIPPED_LANGUAGES, HallConfig, localized
from madoguchi.server.web.page_texts import hall_text_html, text, text_html, wait_range


def _page(lang: str, title: str, body: str, *, refresh: int | None = None, script: str = "") -> str:
    meta_refresh = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    html_lang = {"zh-Hans": "zh-Hans", "pt-BR": "pt-BR", "ja-easy": "ja"}.get(lang, lang)
    return f"""<!doctype html>
<html lang="{html.escape(html_lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{meta_refresh}
<title>{html.escape(title)}</title>
<style>
body{{font-family:"Noto Sans CJK JP","Noto Sans",sans-serif;margin:0;padding:1.2em;background:#fff;color:#111;
font-size:20px;line-height:1.5;word-break:keep-all;overflow-wrap:anywhere;line-break:strict}}
.number{{font-size:min(4.5em,22vw);white-space:nowrap;font-weight:700;letter-spacing:.04em;margin:.1em 0}}
.called{{background:#0a5c0a;color:#fff;padding:.6em;border-radius:.4em;font-size:1.4em}}
.muted{{color:#444}} ruby rt{{font-size:.5em}} .w{{display:inline-block;max-width:100%}}
.board{{display:grid;grid-template-columns:1fr 1fr;gap:.4em;font-size:4vw}}
.call{{background:#f2f2f2;padding:.2em .5em;border-radius:.2em}} .call.new{{background:#ffd400}}
</style></head><body>{body}{script}</body></html>"""


def ticket_page(status: m.TicketStatus, config: HallConfig) -> str:
    """The resident's own ticket in their language: Japanese and Chinese break between phrases (``<wbr>``,
    ``word-break: keep-all``), easy Japanese carries furigana (``<ruby>``)."""
    lang = status.language
    e = html.escape
    parts = [
        f"<p class='muted'>{hall_text_html(config.hall.name, lang)}</p>",
        f"<p>{text_html(lang, 'phone.title')}</p>",
        f"<div class='number' aria-label='{e(text(lang, 'phone.your_number', number=status.number))}'>"
        f"{e(status.number)}</div>",
        f"<p>{hall_text_html(status.service_name, lang)}</p>",
    ]
    refresh: int | None = 20
    if status.state == "waiting":
        parts.append(f"<p>{text_html(lang, 'phone.position', count=status.people_ahead)}</p>")
        if status.estimate is not None:
            est = status.estimate
            line = text_html(lang, "phone.estimate", range=wait_range(lang, est.low_min, est.high_min))
            parts.append(f"<p>{line}</p>")
    elif status.state in ("called", "serving") and status.counter is not None:
        parts.append(f"<p class='called'>{text_html(lang, 'phone.called', counter=status.counter)}</p>")
    else:
        final = {"cancelled": "phone.cancelled", "no_show": "phone.no_show"}.get(status.state, "phone.done")
        parts.append(f"<p>{text_html(lang, final)}</p>")
        refresh = None
    parts.append(f"<p class='muted'>{text_html(lang, 'phone.auto_update')}</p>" if refresh else "")
    return _page(lang, status.number, "\n".join(parts), refresh=refresh)


def not_found_page(languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> str:
    """An unknown or expired ticket: the message in every language of the hall, each marked with its own."""
    items = []
    for lang in languages:
        html_lang = "ja" if lang == "ja-easy" else lang
        items.append(f"<p lang='{html.escape(html_lang)}'>{text_html(lang, 'phone.not_found')}</p>")
    return _page("ja", "404", "".join(items))


_BOARD_JS = """
<script>
// The display's token comes once in the address's fragment (never sent to the server) and is kept in a cookie,
// the one way a browser's WebSocket can carry it; the fragment is then cleared from the address bar.
const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromFragment) {
  document.cookie = 'madoguchi_token=' + encodeURIComponent(fromFragment) + '; path=/; SameSite=Strict' +
    (location.protocol === 'https:' ? '; Secure' : '');
  history.replaceState(null, '', location.pathname);
}
const token = fromFragment ||
  decodeURIComponent((document.cookie.match(/madoguchi_token=([^;]+)/)||[])[1] || '');
let last = 0, calls = [];
function render(state){
  const el = document.getElementById('calls'); el.innerHTML = '';
  calls.slice(0, 8).forEach((c, i) => {
    const d = document.createElement('div'); d.className = 'call' + (i === 0 ? ' new' : '');
    d.textContent = c.number + '  →  ' + c.counter; el.appendChild(d);
  });
}
async function sync(){
  const r = await fetch('/api/v1/board', {headers: {Authorization: 'Bearer ' + token}});
  if (!r.ok) return;
  const s = await r.json(); last = s.last_event_id;
  calls = s.recent_calls.map(c => ({number: c.number, counter: c.counter, id: c.ticket_id})); render();
}
function connect(){
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
    '/events?since=' + last);
  ws.onmessage = ev => {
    const e = JSON.parse(ev.data);
    if (e.type === 'stream.hello') return;
    if (e.type === 'stream.reset') { sync(); return; }
    last = e.id;
    if (e.type === 'ticket.called' || e.type === 'ticket.recalled') {
      calls = calls.filter(c => c.id !== e.ticket_id);
      calls.unshift({number: e.data.number, counter: e.counter, id: e.ticket_id}); render();
      document.body.dataset.last = e.data.number;
    }
  };
  ws.onclose = () => setTimeout(() => sync().then(connect, connect), 2000);
}
sync().then(connect, connect);
</script>"""


def board_page(config: HallConfig) -> str:
    e = html.escape
    body = (
        f"<h1>{e(localized(config.hall.name, 'ja'))}</h1>"
        f"<p>{e(text('ja', 'board.now_calling'))} / {e(text('en', 'board.now_calling'))}</p>"
        "<div id='calls' class='board'></div>"
    )
    return _page("ja", "board", body, script=_BOARD_JS)
