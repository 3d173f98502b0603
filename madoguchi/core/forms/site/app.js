/* The pre-fill site's screens: choose a procedure (or a life event, answer its questions and see the procedures
 * it needs), fill its form, show the MDG1 code. Everything stays in this page's memory: no storage, no network.
 * A life event's guidance for every answer was worked out by core/life_events.py at export: the page looks the
 * answers up in RULES.life_events, it decides nothing itself. */
(function (global) {
  'use strict';

  var RULES = global.MADOGUCHI_RULES;
  var Forms = global.MadoguchiForms;
  function fresh(lang) {
    return { lang: lang, procedure: null, values: {}, groups: {}, errors: [], screen: 'choose', code: null, event: null, answers: {} };
  }
  var state = fresh(RULES.languages[0]);
  var app = document.getElementById('app');
  var shownScreen = null;

  function t(id, params) { return Forms.messageText(id, state.lang, params); }
  function loc(texts) { return texts ? texts[state.lang] || texts.ja : ''; }

  /* Easy Japanese writes readings the leaflet way, 手続（てつづ）き: shown as ruby over the kanji, and dropped
   * where only plain text fits (an attribute, an option, the title). */
  var READING = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\u30f6]+)\uff08([\u3041-\u3096\u30fc]+)\uff09/g;
  function plain(text) { return state.lang === 'ja-easy' ? text.replace(READING, '$1') : text; }
  function rich(text) {
    var out = document.createDocumentFragment();
    if (state.lang !== 'ja-easy') { out.appendChild(document.createTextNode(text)); return out; }
    var last = 0, m;
    READING.lastIndex = 0;
    while ((m = READING.exec(text)) !== null) {
      if (m.index > last) out.appendChild(document.createTextNode(text.slice(last, m.index)));
      var ruby = document.createElement('ruby');
      ruby.appendChild(document.createTextNode(m[1]));
      var rt = document.createElement('rt');
      rt.textContent = m[2];
      ruby.appendChild(rt);
      out.appendChild(ruby);
      last = READING.lastIndex;
    }
    if (last < text.length) out.appendChild(document.createTextNode(text.slice(last)));
    return out;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') {
        if (tag === 'option' || tag === 'title') node.textContent = plain(attrs[k]);
        else node.appendChild(rich(attrs[k]));
      }
      else if (k === 'onclick') node.addEventListener('click', attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function errorFor(key, group, row) {
    for (var i = 0; i < state.errors.length; i++) {
      var e = state.errors[i];
      if (e.field === key && (e.group || null) === (group || null) && (e.row === undefined ? null : e.row) === (row === undefined ? null : row)) {
        return t(e.message_id, e.params);
      }
    }
    return null;
  }

  var HINTS = { date: 'site.hint.date', kana: 'site.hint.kana', phone: 'site.hint.phone', postal_code: 'site.hint.postal_code' };
  var INPUT_MODES = { phone: 'tel', postal_code: 'numeric', number: 'numeric' };
  var AUTOCOMPLETE = { phone: 'tel', postal_code: 'postal-code' };

  function input(field, id, value, onChange) {
    var control;
    if (field.kind === 'choice' || field.kind === 'sex') {
      var options = field.kind === 'sex'
        ? RULES.sex_values.map(function (v) { return { value: v, label: t('site.sex.' + v) }; })
        : field.choices.map(function (c) { return { value: c.value, label: loc(c.label) }; });
      control = el('select', { id: id, name: id }, [el('option', { value: '', text: t('site.choose') })].concat(
        options.map(function (o) { return el('option', { value: o.value, text: o.label }); })));
      control.value = value || '';
      control.addEventListener('change', function () { onChange(control.value); });
    } else {
      control = el('input', { id: id, name: id, type: 'text', autocomplete: AUTOCOMPLETE[field.kind] || 'off' });
      if (INPUT_MODES[field.kind]) control.setAttribute('inputmode', INPUT_MODES[field.kind]);
      control.value = value || '';
      control.addEventListener('input', function () { onChange(control.value); });
    }
    return control;
  }

  function fieldBlock(field, id, value, error, onChange) {
    var label = el('label', { for: id }, [rich(loc(field.label))]);
    // a space before the badge: the label may wrap there (at 200 % text the badge no longer fits beside it)
    if (field.required) label.append(' ', el('span', { class: 'req', text: t('site.required') }));
    var hint = HINTS[field.kind] ? el('div', { class: 'hint', id: id + '-hint', text: t(HINTS[field.kind]) }) : null;
    var control = input(field, id, value, onChange);
    if (hint) control.setAttribute('aria-describedby', id + '-hint');
    var err = error ? el('div', { class: 'error', id: id + '-error', role: 'alert', text: error }) : null;
    if (error) control.setAttribute('aria-invalid', 'true');
    return el('div', { class: 'field' + (error ? ' invalid' : '') }, [label, hint, control, err]);
  }

  function header() {
    /* One line for ten languages, however large the resident's text: a select, each language in its own name. */
    var names = RULES.texts['site.language_name'];
    var select = el('select', { id: 'lang', name: 'lang' }, RULES.languages.map(function (lang) {
      return el('option', { value: lang, id: 'lang-' + lang, lang: lang }, [document.createTextNode(names[lang])]);
    }));
    select.value = state.lang;
    select.addEventListener('change', function () { state.lang = select.value; render(); document.getElementById('lang').focus(); });
    var label = el('label', { for: 'lang', text: t('site.language') });
    if (state.lang !== 'en') label.appendChild(el('span', { lang: 'en', text: ' / Language' }));
    return el('header', {}, [el('div', { class: 'hall', text: loc(RULES.hall) }), el('h1', { text: t('site.title') }),
      el('div', { class: 'langs' }, [label, select])]);
  }

  function openForm(procedureId) {
    state.procedure = procedureId; state.values = {}; state.groups = {}; state.errors = []; state.screen = 'form';
    render();
  }

  function lifeEvent() {
    return RULES.life_events.filter(function (e) { return e.id === state.event; })[0];
  }

  function eventList() {
    if (!RULES.life_events.length) return null;
    return el('section', { 'aria-labelledby': 'events-heading' }, [
      el('h2', { id: 'events-heading', text: t('site.events.heading') }),
      el('p', { class: 'intro', text: t('site.events.intro') }),
      el('div', { class: 'procedures' }, RULES.life_events.map(function (e) {
        return el('button', {
          type: 'button', class: 'procedure', id: 'event-' + e.id,
          onclick: function () { state.event = e.id; state.answers = {}; state.screen = 'event'; render(); }
        }, [el('strong', { text: loc(e.name) }), e.description ? el('span', { text: loc(e.description) }) : null]);
      }))
    ]);
  }

  function eventScreen() {
    var event = lifeEvent();
    var form = el('form', { id: 'event-form' });
    event.questions.forEach(function (q) {
      var options = [['yes', true, 'common.yes'], ['no', false, 'common.no']].map(function (o) {
        var id = 'q-' + q.id + '-' + o[0];
        var radio = el('input', { type: 'radio', id: id, name: 'q-' + q.id, value: o[0] });
        radio.checked = !!state.answers[q.id] === o[1];  // an unanswered question counts as no
        radio.addEventListener('change', function () { state.answers[q.id] = o[1]; });
        return el('div', { class: 'choice' }, [radio, el('label', { for: id, text: t(o[2]) })]);
      });
      form.appendChild(el('fieldset', { class: 'question', id: 'question-' + q.id },
        [el('legend', { text: loc(q.text) }), el('div', { class: 'yesno' }, options)]));
    });
    form.appendChild(el('div', { class: 'actions' }, [
      el('button', { type: 'submit', id: 'show-guidance', class: 'primary', text: t('site.events.show') }),
      el('button', { type: 'button', class: 'secondary', id: 'back-to-list', text: t('site.back_to_list'),
        onclick: function () { state.screen = 'choose'; render(); } })]));
    form.addEventListener('submit', function (ev) { ev.preventDefault(); state.screen = 'guidance'; render(); });
    return el('main', {}, [el('h2', { text: loc(event.name) }),
      event.description ? el('p', { class: 'intro', text: loc(event.description) }) : null,
      el('p', { class: 'intro', text: t('site.events.answer') }), form]);
  }

  function guidanceScreen() {
    var event = lifeEvent();
    var key = event.questions.map(function (q) { return state.answers[q.id] ? '1' : '0'; }).join('');
    var result = event.results[key];
    var route = el('ol', { class: 'route', id: 'guidance-route' }, result.route.map(function (sid) {
      var place = RULES.places[sid];
      return el('li', { 'data-service': sid }, [el('strong', { text: loc(place.name) })].concat(
        place.areas.map(function (area) { return el('div', { class: 'where', text: t('site.events.area', { area: loc(area) }) }); }),
        [el('div', { class: 'where', text: t('site.events.counters', { counters: place.counters.join(', ') }) })]));
    }));
    var bring = el('ul', { class: 'bring', id: 'guidance-bring' }, result.bring.map(function (item) {
      return el('li', { text: loc(item) });
    }));
    var fill = null;
    if (result.form) {
      var proc = Forms.procedure(result.form);
      fill = [el('p', { class: 'note', text: t('site.events.form_note') }),
        el('button', { type: 'button', class: 'primary', id: 'fill-visit-form', 'data-procedure': result.form,
          text: t('site.events.fill_form', { form: loc(proc.title) }), onclick: function () { openForm(result.form); } })];
    }
    return el('main', {}, [el('h2', { text: loc(event.name) }),
      el('h3', { text: t('site.events.route') }), route,
      el('h3', { text: t('site.events.bring') }), bring,
      el('div', { class: 'actions' }, (fill || []).concat([
        el('button', { type: 'button', class: 'secondary', id: 'back-to-questions', text: t('site.events.back_to_questions'),
          onclick: function () { state.screen = 'event'; render(); } }),
        el('button', { type: 'button', class: 'secondary', id: 'back-to-list', text: t('site.back_to_list'),
          onclick: function () { state.screen = 'choose'; render(); } })]))]);
  }

  function chooseScreen() {
    var list = el('div', { class: 'procedures' }, RULES.procedures.map(function (p) {
      return el('button', {
        type: 'button', class: 'procedure', id: 'proc-' + p.id,
        onclick: function () { openForm(p.id); }
      }, [el('strong', { text: loc(p.name) }), p.description ? el('span', { text: loc(p.description) }) : null]);
    }));
    // a life event first: it finds every procedure of the visit, in counter order
    return el('main', {}, [el('p', { class: 'intro', text: t('site.intro') }), eventList(),
      el('section', {}, [el('h2', { text: t('site.choose_procedure') }), list]), el('p', { class: 'note', text: t('site.offline_note') })]);
  }

  function formScreen() {
    var proc = Forms.procedure(state.procedure);
    var form = el('form', { id: 'form', novalidate: 'novalidate' });
    var groupNames = [];
    proc.fields.forEach(function (f) {
      if (f.hidden) return;
      if (f.group) {
        if (groupNames.indexOf(f.group) < 0) groupNames.push(f.group);
        return;
      }
      form.appendChild(fieldBlock(f, 'f-' + f.key, state.values[f.key], errorFor(f.key, null, null), function (v) { state.values[f.key] = v; }));
    });
    groupNames.forEach(function (name) {
      var fields = proc.fields.filter(function (f) { return f.group === name && !f.hidden; });
      var rows = state.groups[name] = state.groups[name] || [];
      var groupErr = errorFor(name, name, null);
      var box = el('fieldset', { class: 'group', id: 'group-' + name });
      rows.forEach(function (row, i) {
        var member = el('div', { class: 'member', id: 'g-' + name + '-' + i }, [el('h3', { text: t('site.member', { n: i + 1 }) })]);
        fields.forEach(function (f) {
          member.appendChild(fieldBlock(f, 'g-' + name + '-' + i + '-' + f.key, row[f.key], errorFor(f.key, name, i), function (v) { row[f.key] = v; }));
        });
        member.appendChild(el('button', { type: 'button', class: 'secondary', id: 'remove-' + name + '-' + i, text: t('site.remove_member'),
          onclick: function () { rows.splice(i, 1); state.errors = []; render(); } }));
        box.appendChild(member);
      });
      if (groupErr) box.appendChild(el('div', { class: 'error', role: 'alert', text: groupErr }));
      if (rows.length < proc.max_group_size) {
        box.appendChild(el('button', { type: 'button', class: 'secondary', id: 'add-' + name, text: t('site.add_member'),
          onclick: function () { rows.push({}); render(); } }));
      }
      form.appendChild(box);
    });
    var summary = state.errors.length ? el('div', { class: 'error summary', role: 'alert', id: 'summary', text: t('site.fix_errors') }) : null;
    var make = el('button', { type: 'submit', id: 'make-code', class: 'primary', text: t('site.make_code') });
    form.appendChild(el('div', { class: 'actions' }, [summary, make,
      el('button', { type: 'button', class: 'secondary', id: 'back-to-list', text: t('site.back_to_list'),
        onclick: function () { state.screen = 'choose'; state.values = {}; state.groups = {}; state.errors = []; render(); } })]));
    form.addEventListener('submit', function (ev) { ev.preventDefault(); makeCode(); });
    return el('main', {}, [el('h2', { text: loc(proc.title) }), form]);
  }

  function makeCode() {
    var result = Forms.validateForm(state.procedure, state.values, state.groups);
    state.errors = result.errors;
    if (result.errors.length) {
      render();
      var first = document.querySelector('.invalid input, .invalid select, #summary');
      if (first) first.focus();
      return;
    }
    global.MadoguchiPayload.encode(state.procedure, result.values, result.groups, state.lang).then(function (code) {
      state.code = code;
      state.screen = 'code';
      render();
    }, function (err) {
      state.errors = [{ field: '', group: null, row: null, message_id: err.messageId || 'payload.error.too_large', params: {} }];
      render();
      var s = document.getElementById('summary');
      if (s) s.textContent = t(state.errors[0].message_id);
    });
  }

  function codeScreen() {
    var proc = Forms.procedure(state.procedure);
    var qr = global.MadoguchiQR.encodeAlphanumeric(state.code);
    var canvas = el('canvas', { id: 'qr', 'data-version': String(qr.version), role: 'img', 'aria-label': plain(t('site.show_at_kiosk')) });
    var cssSize = Math.min(440, (document.documentElement.clientWidth || 360) - 32);
    var dpr = global.devicePixelRatio || 1;
    global.MadoguchiQR.drawQr(canvas, qr, Math.floor(cssSize * dpr));
    canvas.style.width = (canvas.width / dpr) + 'px';
    canvas.style.height = (canvas.height / dpr) + 'px';
    return el('main', { class: 'code' }, [
      el('h2', { text: loc(proc.name) }),
      el('p', { class: 'show', text: t('site.show_at_kiosk') }),
      el('div', { class: 'qr-box' }, [canvas]),
      el('div', { class: 'actions' }, [
        el('button', { type: 'button', class: 'secondary', id: 'back-to-form', text: t('site.back'),
          onclick: function () { state.screen = 'form'; state.code = null; render(); } }),
        el('button', { type: 'button', class: 'secondary', id: 'clear', text: t('site.clear'),
          onclick: function () { state = fresh(state.lang); render(); } })
      ])
    ]);
  }

  function render() {
    document.documentElement.lang = state.lang;
    document.title = plain(t('site.title'));
    var screens = { form: formScreen, code: codeScreen, event: eventScreen, guidance: guidanceScreen };
    var screen = (screens[state.screen] || chooseScreen)();
    app.replaceChildren(header(), screen);
    if (state.screen !== shownScreen) { window.scrollTo(0, 0); shownScreen = state.screen; }  // a new screen starts at its top
  }

  render();

  /* Offline after the first visit when served over http(s); file:// pages need nothing more. */
  if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol) && location.hostname !== '127.0.0.1') {
    navigator.serviceWorker.register('sw.js').catch(function () {});
  }
})(this);
