/* The pre-fill site's screens: choose a procedure, fill its form, show the MDG1 code. Everything stays in this
 * page's memory: no storage, no network. */
(function (global) {
  'use strict';

  var RULES = global.MADOGUCHI_RULES;
  var Forms = global.MadoguchiForms;
  var state = { lang: 'ja', procedure: null, values: {}, groups: {}, errors: [], screen: 'choose', code: null };
  var app = document.getElementById('app');

  function t(id, params) { return Forms.messageText(id, state.lang, params); }
  function loc(texts) { return texts ? texts[state.lang] || texts.ja : ''; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
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
    var label = el('label', { for: id }, [document.createTextNode(loc(field.label))]);
    if (field.required) label.appendChild(el('span', { class: 'req', text: t('site.required') }));
    var hint = HINTS[field.kind] ? el('div', { class: 'hint', id: id + '-hint', text: t(HINTS[field.kind]) }) : null;
    var control = input(field, id, value, onChange);
    if (hint) control.setAttribute('aria-describedby', id + '-hint');
    var err = error ? el('div', { class: 'error', id: id + '-error', role: 'alert', text: error }) : null;
    if (error) control.setAttribute('aria-invalid', 'true');
    return el('div', { class: 'field' + (error ? ' invalid' : '') }, [label, hint, control, err]);
  }

  function header() {
    var langs = el('div', { class: 'langs' }, RULES.languages.map(function (lang) {
      return el('button', {
        type: 'button', id: 'lang-' + lang, lang: lang, class: lang === state.lang ? 'current' : '',
        text: lang === 'ja' ? '日本語' : 'English',
        onclick: function () { state.lang = lang; render(); }
      });
    }));
    return el('header', {}, [el('div', { class: 'hall', text: loc(RULES.hall) }), el('h1', { text: t('site.title') }), langs]);
  }

  function chooseScreen() {
    var list = el('div', { class: 'procedures' }, RULES.procedures.map(function (p) {
      return el('button', {
        type: 'button', class: 'procedure', id: 'proc-' + p.id,
        onclick: function () {
          state.procedure = p.id; state.values = {}; state.groups = {}; state.errors = []; state.screen = 'form';
          render();
        }
      }, [el('strong', { text: loc(p.name) }), p.description ? el('span', { text: loc(p.description) }) : null]);
    }));
    return el('main', {}, [el('p', { class: 'intro', text: t('site.intro') }), el('h2', { text: t('site.choose_procedure') }), list,
      el('p', { class: 'note', text: t('site.offline_note') })]);
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
    var canvas = el('canvas', { id: 'qr', 'data-version': String(qr.version), role: 'img', 'aria-label': t('site.show_at_kiosk') });
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
          onclick: function () { state = { lang: state.lang, procedure: null, values: {}, groups: {}, errors: [], screen: 'choose', code: null }; render(); } })
      ])
    ]);
  }

  function render() {
    document.documentElement.lang = state.lang;
    document.title = t('site.title');
    var screen = state.screen === 'form' ? formScreen() : state.screen === 'code' ? codeScreen() : chooseScreen();
    app.replaceChildren(header(), screen);
  }

  render();

  /* Offline after the first visit when served over http(s); file:// pages need nothing more. */
  if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol) && location.hostname !== '127.0.0.1') {
    navigator.serviceWorker.register('sw.js').catch(function () {});
  }
})(this);
