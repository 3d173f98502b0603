// The browser call board: the hall's state from /api/v1/board, then the display's WebSocket event stream.
// The display's token comes once in the address's fragment (never sent to the server) and is kept in a cookie,
// the one way a browser's WebSocket can carry it; the fragment is then cleared from the address bar.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('board-data').textContent);
  var fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment) {
    document.cookie = 'madoguchi_token=' + encodeURIComponent(fromFragment) + '; path=/; SameSite=Strict' +
      (location.protocol === 'https:' ? '; Secure' : '');
    history.replaceState(null, '', location.pathname + location.search);
  }
  var token = fromFragment ||
    decodeURIComponent((document.cookie.match(/madoguchi_token=([^;]+)/) || [])[1] || '');
  var fixedSub = new URLSearchParams(location.search).get('sub');
  var subs = fixedSub ? [fixedSub] : (data.languages.length ? data.languages : ['en']);
  var subIndex = 0;
  var state = {last: 0, calls: [], serving: {}, waiting: {}, moves: []};
  // a visit that moved on to its next counter stays on the board this long (or until it is called there)
  var MOVE_MS = 5 * 60 * 1000;
  var freshTimer = null;
  var syncTimer = null;
  var audio = null;
  var socket = null;
  var $ = function (id) { return document.getElementById(id); };

  function t(lang, key) { return ((data.texts[lang] || data.texts.en || {})[key]) || data.texts.ja[key] || ''; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function sub() { return subs[subIndex % subs.length]; }
  function el(tag, cls, txt, lang) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (txt !== undefined) node.textContent = txt;
    if (lang) node.lang = lang;
    return node;
  }
  function serviceName(id, lang) {
    var names = data.services[id] || {};
    return names[lang] || (lang === 'ja-easy' ? names.ja : names.en) || names.ja || id;
  }
  // where a procedure is served, in ``lang``: [its counters, their waiting area], made by the server
  function place(id, lang) {
    var texts = data.places[id] || {};
    return texts[lang] || texts.en || texts.ja || ['', ''];
  }
  function stepText(lang, call) {
    return call.steps ? fill(t(lang, 'step'), {step: call.step, steps: call.steps}) : '';
  }

  // ---------------------------------------------------------------- drawing
  function renderNow() {
    var box = $('now-body');
    box.textContent = '';
    var call = state.calls[0];
    if (!call) {
      var none = el('p', 'none', t('ja', 'board.no_calls'));
      none.appendChild(el('span', 'sub', t(sub(), 'board.no_calls'), sub()));
      box.appendChild(none);
      return;
    }
    box.appendChild(el('div', 'now-number', call.number));
    box.appendChild(el('div', 'now-counter', '→ ' + fill(t('ja', 'counter'), {counter: call.counter})));
    if (call.steps) {  // a visit: which of its procedures this call is for
      var step = el('div', 'now-step', stepText('ja', call));
      step.appendChild(el('span', 'sub', stepText(sub(), call), sub()));
      box.appendChild(step);
    }
    // the call in the resident's own language (English for Japanese tickets), as the Qt board says it
    var lang = (call.language === 'ja' || call.language === 'ja-easy' || !data.texts[call.language]) ? 'en' : call.language;
    box.appendChild(el('div', 'line', fill(t(lang, call.recall ? 'recall' : 'call'),
      {number: call.number, counter: call.counter}), lang));
  }
  function renderRecent() {
    var list = $('recent-list');
    list.textContent = '';
    state.calls.slice(1, 8).forEach(function (call) {
      var li = el('li');
      var number = el('span', 'n', call.number);
      if (call.steps) number.appendChild(el('span', 'step', call.step + '/' + call.steps));
      li.appendChild(number);
      li.appendChild(el('span', 'to', '→ ' + fill(t('ja', 'counter'), {counter: call.counter})));
      list.appendChild(li);
    });
    fitRows(list);
  }
  // calls that do not fit the panel are left out whole rather than shown cut in half
  function fitRows(list) {
    var panel = list.closest('.panel');
    var limit = panel.getBoundingClientRect().bottom - parseFloat(getComputedStyle(panel).paddingBottom);
    while (list.children.length > 1 && list.lastElementChild.getBoundingClientRect().bottom > limit + 1) {
      list.removeChild(list.lastElementChild);
    }
  }
  function renderServing() {
    var list = $('serving-list');
    list.textContent = '';
    Object.keys(state.serving).map(Number).sort(function (a, b) { return a - b; }).forEach(function (counter) {
      var li = el('li');
      li.appendChild(el('span', 'c', fill(t('ja', 'counter'), {counter: counter})));
      li.appendChild(el('span', 'n', state.serving[counter]));
      list.appendChild(li);
    });
    fitRows(list);
  }
  function renderWaiting() {
    var list = $('waiting-list');
    list.textContent = '';
    var ids = Object.keys(data.services).filter(function (id) { return (state.waiting[id] || 0) > 0; });
    if (!ids.length) {
      var none = el('li', 'none', t('ja', 'board.waiting.none'));
      list.appendChild(none);
      return;
    }
    ids.forEach(function (id) {
      var li = el('li');
      var name = el('span', 'name', serviceName(id, 'ja'));
      name.appendChild(el('span', 'sub', serviceName(id, sub()), sub()));
      li.appendChild(name);
      li.appendChild(el('span', 'n', fill(data.texts.waiting, {count: state.waiting[id]})));
      list.appendChild(li);
      shrinkToFit(name);
    });
    fitRows(list);
  }
  // a long procedure name is made smaller rather than cut or broken inside a word; with ``lines``, a box that
  // may take that many lines (a move's subtitle) is made smaller until it fits them
  function shrinkToFit(node, least, lines) {
    node.style.fontSize = '';
    var size = 100;
    function over() {
      if (lines) return node.scrollHeight > lines * parseFloat(getComputedStyle(node).lineHeight) + 2;
      return node.scrollWidth > node.clientWidth + 1;
    }
    while (over() && size > (least || 55)) {
      size -= 5;
      node.style.fontSize = size + '%';
    }
  }
  // visits that moved on: "D-001 → 国民健康保険 9・10番窓口 2階…", with the same in the subtitle language
  function renderMoves() {
    var now = Date.now();
    state.moves = state.moves.filter(function (move) { return move.until > now; });
    var shown = state.moves.length > 0;
    document.body.classList.toggle('has-moves', shown);
    $('moves').hidden = !shown;
    var list = $('moves-list');
    list.textContent = '';
    state.moves.forEach(function (move) {
      var li = el('li');
      var number = el('span', 'n', move.number);
      number.appendChild(el('span', 'step', move.step + '/' + move.steps));
      li.appendChild(number);
      var to = el('span', 'to');
      var ja = place(move.service, 'ja');
      var other = place(move.service, sub());
      var lines = [
        el('span', 'svc', '→ ' + serviceName(move.service, 'ja') + '　' + ja[0]),
        el('span', 'area', ja[1]),
        el('span', 'sub', serviceName(move.service, sub()) + ' · ' + other[0], sub()),
        el('span', 'sub area-sub', other[1], sub())
      ];
      lines.forEach(function (line) { if (line.textContent) to.appendChild(line); });
      li.appendChild(to);
      list.appendChild(li);
      lines.forEach(function (line) { shrinkToFit(line, 60, line.classList.contains('area-sub') ? 2 : 0); });
    });
    document.body.dataset.moves = state.moves.map(function (move) { return move.number; }).join(' ');
    if (shown) fitRows(list);
  }
  function addMove(move) {
    state.moves = [move].concat(state.moves.filter(function (m) { return m.number !== move.number; }));
  }
  function dropMove(number) {
    state.moves = state.moves.filter(function (m) { return m.number !== number; });
  }
  function renderSubs() {
    var lang = sub();
    document.querySelectorAll('h2 .sub[data-key]').forEach(function (node) {
      node.textContent = t(lang, node.dataset.key);
      node.lang = lang;
    });
  }
  function render() {
    renderMoves(); renderNow(); renderRecent(); renderServing(); renderWaiting(); renderSubs();
    document.body.dataset.calls = String(state.calls.length);
  }

  // ---------------------------------------------------------------- sound
  function chime() {
    if (!audio || audio.state !== 'running') return false;
    var t0 = audio.currentTime;
    [[784, 0], [523, 0.45]].forEach(function (note) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, t0 + note[1]);
      gain.gain.exponentialRampToValueAtTime(0.5, t0 + note[1] + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + note[1] + 0.9);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(t0 + note[1]); osc.stop(t0 + note[1] + 1);
    });
    document.body.dataset.chimes = String(Number(document.body.dataset.chimes || 0) + 1);
    return true;
  }
  function setUpSound() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    audio = new Ctx();
    var button = $('sound');
    function check() { button.hidden = audio.state === 'running'; }
    // a board PC's browser may allow sound at once (kiosk mode); otherwise one click by the staff enables it
    audio.onstatechange = check;
    setTimeout(check, 500);
    button.addEventListener('click', function () { audio.resume().then(check); });
  }

  // ---------------------------------------------------------------- data
  function fromBoard(s) {
    state.last = s.last_event_id;
    state.calls = s.recent_calls.slice(0, 8).map(function (c) {
      return {id: c.ticket_id, number: c.number, counter: c.counter, language: c.language, recall: c.recall,
        step: c.step, steps: c.steps, event: c.event_id};
    });
    var now = Date.now();
    state.moves = (s.next_steps || []).filter(function (n) {
      // called at its next counter since: nothing more to say
      return !s.recent_calls.some(function (c) { return c.number === n.number && c.event_id > n.event_id; });
    }).map(function (n) {
      var age = Math.min(MOVE_MS, Math.max(0, now - Date.parse(n.at)));  // a clock off by minutes shows it anyway
      return {number: n.number, service: n.service_id, step: n.step, steps: n.steps, until: now + MOVE_MS - age};
    });
    state.serving = s.now_serving;
    state.waiting = s.waiting;
    render();
  }
  function sync() {
    var headers = token ? {Authorization: 'Bearer ' + token} : {};
    return fetch('/api/v1/board', {headers: headers, cache: 'no-store'}).then(function (r) {
      if (r.status === 401 || r.status === 403) { $('token-missing').hidden = false; throw new Error('token'); }
      if (!r.ok) throw new Error('board ' + r.status);
      $('token-missing').hidden = true;
      return r.json();
    }).then(fromBoard);
  }
  function syncSoon() {
    if (!syncTimer) syncTimer = setTimeout(function () { syncTimer = null; sync().catch(function () {}); }, 400);
  }
  function fresh(call) {
    state.calls = [call].concat(state.calls.filter(function (c) { return c.id !== call.id; })).slice(0, 8);
    state.serving[call.counter] = call.number;
    render();
    var box = $('now-body');
    box.classList.add('fresh');
    clearTimeout(freshTimer);
    freshTimer = setTimeout(function () { box.classList.remove('fresh'); }, 6000);
    chime();
    document.body.dataset.last = call.number;
  }
  function connect() {
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/events?since=' + state.last);
    socket.onopen = function () { $('link').hidden = true; };
    socket.onmessage = function (message) {
      var e = JSON.parse(message.data);
      if (e.type === 'stream.hello') return;
      if (e.type === 'stream.reset' || e.type === 'day.rolled') { sync().catch(function () {}); return; }
      if (e.id) state.last = e.id;
      if (e.type === 'ticket.called' || e.type === 'ticket.recalled') {
        dropMove(e.data.number);
        fresh({id: e.ticket_id, number: e.data.number, counter: e.counter, language: e.data.language || 'ja',
          recall: e.data.recall || 0, step: e.data.step, steps: e.data.steps});
      }
      if (e.type === 'ticket.next_step') {
        addMove({number: e.data.number, service: e.data.service_id, step: e.data.step, steps: e.data.steps,
          until: Date.now() + MOVE_MS});
        renderMoves(); renderWaiting();
      }
      if (e.type === 'ticket.cancelled' || e.type === 'ticket.no_show') { dropMove(e.data.number); renderMoves(); }
      if (e.type.indexOf('ticket.') === 0) syncSoon();  // waiting counts and now serving, from the server
    };
    socket.onclose = function () {
      $('link').hidden = false;
      setTimeout(function () { sync().then(connect, connect); }, 2000);
    };
  }

  // ---------------------------------------------------------------- clock and subtitles
  var clockFormat = new Intl.DateTimeFormat('ja-JP', {timeZone: data.timezone, hour: '2-digit', minute: '2-digit'});
  function tick() { $('clock').textContent = clockFormat.format(new Date()); }
  tick();
  setInterval(tick, 1000);
  if (subs.length > 1) {
    setInterval(function () { subIndex += 1; renderNow(); renderWaiting(); renderMoves(); renderSubs(); }, 8000);
  }
  setInterval(function () { if (state.moves.length) renderMoves(); }, 5000);  // moves leave after their minutes
  setInterval(function () { if (socket && socket.readyState === 1) sync().catch(function () {}); }, 60000);

  window.addEventListener('resize', function () { renderRecent(); renderWaiting(); renderMoves(); });  // fitted again to the new size
  setUpSound();
  render();
  if (!token) { $('token-missing').hidden = false; return; }
  sync().then(connect, connect);
})();
