/* Form validation for the pre-fill site: the same rules as queueing/forms/validation.py, driven by the data
 * Python exported into rules.js (regular expressions, eras, limits). Returns message ids, like Python. */
(function (global) {
  'use strict';

  var RULES = global.MADOGUCHI_RULES;
  var P = {};
  Object.keys(RULES.patterns).forEach(function (k) { P[k] = RULES.patterns[k]; });
  function re(name, flags) { return new RegExp(P[name], 'u' + (flags || '')); }

  function FieldValueError(messageId, params) {
    this.messageId = messageId;
    this.params = params || {};
  }

  function chars(s) { return Array.from(s).length; }

  function hasControl(text) {
    return re('control').test(text) || /[\n\r\t]/.test(text);
  }

  function foldWidth(text) {
    text = text.replace(/[\uff01-\uff5e]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); });
    return text.replace(re('half_katakana', 'g'), function (m) { return m.normalize('NFKC'); });
  }

  function collapseSpaces(text, space) {
    return text.replace(/[\s\u3000]+/gu, space).replace(/^[ \u3000]+|[ \u3000]+$/g, '');
  }

  function normalizeText(text) { return collapseSpaces(foldWidth(text), ' '); }
  function normalizeAddress(text) { return collapseSpaces(foldWidth(text), ' ').replace(re('dash_between_digits', 'g'), '-'); }
  function normalizeMachine(text) { return text.normalize('NFKC').trim(); }
  function normalizeKana(text) {
    text = text.normalize('NFKC');
    text = text.replace(re('hiragana', 'g'), function (c) { return String.fromCharCode(c.charCodeAt(0) + 0x60); });
    text = text.replace(re('kana_dashes', 'g'), '\u30fc');
    return collapseSpaces(text, '\u3000');
  }

  function checkLength(value, kind) {
    var limit = RULES.max_length[kind];
    if (limit !== undefined && chars(value) > limit) throw new FieldValueError('form.error.too_long', { max: limit });
    return value;
  }

  /* ---- dates ---- */
  function iso(y, m, d) {
    function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }
    return pad(y, 4) + '-' + pad(m, 2) + '-' + pad(d, 2);
  }

  function eraByKey(key) {
    for (var i = 0; i < RULES.eras.length; i++) if (RULES.eras[i].key === key) return RULES.eras[i];
    return null;
  }

  function eraParams(era) { return { era: era.name, first: era.first, last: era.last || '' }; }

  function makeDate(y, m, d) {
    var dt = new Date(Date.UTC(y, m - 1, d));
    if (m < 1 || m > 12 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) {
      throw new FieldValueError('form.error.date_invalid');
    }
    var s = iso(y, m, d);
    if (s < RULES.date_min || s > RULES.date_max) {
      throw new FieldValueError('form.error.date_out_of_range', { min: RULES.date_min, max: RULES.date_max });
    }
    return s;
  }

  function parseDate(text) {
    var s = text.normalize('NFKC').trim();
    var m = s.match(re('era_date'));
    if (m) {
      var g = m.groups;
      var era = eraByKey(RULES.era_aliases[g.era]);
      var eraYear = g.year === '元' ? 1 : parseInt(g.year, 10);
      var month = parseInt(g.month || g.month2, 10);
      var day = parseInt(g.day || g.day2, 10);
      if (eraYear < 1) throw new FieldValueError('form.error.date_era_range', eraParams(era));
      var date = makeDate(parseInt(era.first.slice(0, 4), 10) + eraYear - 1, month, day);
      if (date < era.first || (era.last && date > era.last)) {
        throw new FieldValueError('form.error.date_era_range', eraParams(era));
      }
      return date;
    }
    m = s.match(re('gregorian')) || s.match(re('compact'));
    if (m) {
      var gg = m.groups;
      return makeDate(parseInt(gg.year, 10), parseInt(gg.month || gg.month2, 10), parseInt(gg.day || gg.day2, 10));
    }
    if (re('era_year_only').test(s) || re('year_month').test(s) || /^[0-9]{4}\s*年?$/u.test(s)) {
      throw new FieldValueError('form.error.date_incomplete');
    }
    throw new FieldValueError('form.error.date_format');
  }

  /* ---- per kind ---- */
  function normalizePhone(text) {
    var s = normalizeMachine(text).replace(re('dashes', 'g'), '-');
    if (!re('phone_chars').test(s)) throw new FieldValueError('form.error.phone_format');
    if (s.charAt(0) === '+') {
      var rest = s.replace(re('phone_intl'), '');
      if (rest === s) throw new FieldValueError('form.error.phone_format');
      s = '0' + rest.replace(/^0+/, '');
    }
    s = s.replace(/[\s\-()]+/gu, '-').replace(/^-+|-+$/g, '');
    if (!re('phone_digits').test(s.replace(/-/g, ''))) throw new FieldValueError('form.error.phone_format');
    return s;
  }

  function normalizePostal(text) {
    var s = normalizeMachine(text).replace(re('dashes', 'g'), '-');
    var m = s.match(re('postal'));
    if (!m) throw new FieldValueError('form.error.postal_code_format');
    return m[1] + '-' + m[2];
  }

  function normalizeValue(field, raw, today) {
    var text = String(raw);
    if (hasControl(text)) throw new FieldValueError('form.error.invalid_characters');
    switch (field.kind) {
      case 'text': return checkLength(normalizeText(text), 'text');
      case 'address': return checkLength(normalizeAddress(text), 'address');
      case 'kana': {
        var k = normalizeKana(text);
        if (!re('kana').test(k)) throw new FieldValueError('form.error.kana_only');
        return checkLength(k, 'kana');
      }
      case 'date': {
        var d = parseDate(text);
        if (field.birth_date && d > today) throw new FieldValueError('form.error.date_future');
        return d;
      }
      case 'sex': {
        var sx = normalizeMachine(text).toLowerCase();
        if (!Object.prototype.hasOwnProperty.call(RULES.sex_aliases, sx)) throw new FieldValueError('form.error.sex_value');
        return RULES.sex_aliases[sx];
      }
      case 'phone': return checkLength(normalizePhone(text), 'phone');
      case 'postal_code': return normalizePostal(text);
      case 'number': {
        var n = normalizeMachine(text);
        if (!re('number').test(n) || chars(n) > RULES.max_length.number) throw new FieldValueError('form.error.number_format');
        var v = parseInt(n, 10);
        if ((field.min !== null && v < field.min) || (field.max !== null && v > field.max)) {
          var lo = field.min !== null ? field.min : 0;
          var hi = field.max !== null ? field.max : Math.pow(10, RULES.max_length.number) - 1;
          throw new FieldValueError('form.error.number_range', { min: lo, max: hi });
        }
        return String(v);
      }
      case 'choice': {
        var c = normalizeMachine(text);
        if (!field.choices.some(function (ch) { return ch.value === c; })) throw new FieldValueError('form.error.choice_value');
        return c;
      }
    }
    throw new FieldValueError('form.error.invalid_characters');
  }

  function isEmpty(raw) { return raw === null || raw === undefined || collapseSpaces(String(raw), ' ') === ''; }

  function procedure(id) {
    for (var i = 0; i < RULES.procedures.length; i++) if (RULES.procedures[i].id === id) return RULES.procedures[i];
    return null;
  }

  function todayIso() {
    var now = new Date();
    return iso(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }

  /* Validate like validation.validate_form (hidden fields, e.g. the individual number, must stay empty).
   * values: {key: text}; groups: {group: [{key: text}]}. Returns {values, groups, errors: [{field, group, row,
   * message_id, params}]}. */
  function validateForm(procedureId, values, groups, today) {
    var proc = procedure(procedureId);
    today = today || todayIso();
    var errors = [], outValues = {}, outGroups = {};
    var top = proc.fields.filter(function (f) { return !f.group; });
    var topKeys = top.map(function (f) { return f.key; });
    Object.keys(values).forEach(function (key) {
      if (topKeys.indexOf(key) < 0) errors.push({ field: key, group: null, row: null, message_id: 'form.error.unknown_field', params: {} });
    });
    function check(f, raw, group, row, out) {
      if (f.hidden) {
        if (!isEmpty(raw)) errors.push({ field: f.key, group: group, row: row, message_id: 'form.error.not_allowed', params: {} });
        return;
      }
      if (isEmpty(raw)) {
        if (f.required) errors.push({ field: f.key, group: group, row: row, message_id: 'form.error.required', params: {} });
        return;
      }
      try {
        out[f.key] = normalizeValue(f, raw, today);
      } catch (e) {
        if (!(e instanceof FieldValueError)) throw e;
        errors.push({ field: f.key, group: group, row: row, message_id: e.messageId, params: e.params });
      }
    }
    top.forEach(function (f) { check(f, values[f.key], null, null, outValues); });
    Object.keys(groups || {}).forEach(function (name) {
      var fields = proc.fields.filter(function (f) { return f.group === name; });
      if (!fields.length) {
        errors.push({ field: name, group: name, row: null, message_id: 'form.error.unknown_field', params: {} });
        return;
      }
      var rows = groups[name].filter(function (row) {
        return !Object.keys(row).every(function (k) { return isEmpty(row[k]); });
      });
      if (rows.length > proc.max_group_size) {
        errors.push({ field: name, group: name, row: null, message_id: 'form.error.group_too_large', params: { max: proc.max_group_size } });
        return;
      }
      var outRows = [];
      rows.forEach(function (row, i) {
        var outRow = {};
        Object.keys(row).forEach(function (key) {
          if (!fields.some(function (f) { return f.key === key; })) {
            errors.push({ field: key, group: name, row: i, message_id: 'form.error.unknown_field', params: {} });
          }
        });
        fields.forEach(function (f) { check(f, row[f.key], name, i, outRow); });
        outRows.push(outRow);
      });
      if (outRows.length) outGroups[name] = outRows;
    });
    return { values: outValues, groups: outGroups, errors: errors };
  }

  function messageText(id, lang, params) {
    var texts = RULES.messages[id] || RULES.texts[id];
    var t = texts[lang] || texts.en || texts.ja;
    return t.replace(/\{(\w+)\}/g, function (_, k) { return params && params[k] !== undefined ? String(params[k]) : ''; });
  }

  global.MadoguchiForms = {
    validateForm: validateForm,
    normalizeValue: normalizeValue,
    parseDate: parseDate,
    messageText: messageText,
    procedure: procedure,
    FieldValueError: FieldValueError
  };
})(this);
