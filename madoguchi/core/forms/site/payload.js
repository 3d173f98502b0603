/* MDG1 pre-fill code encoder (see docs/payload-format.md): the same body as queueing/forms/payload.py,
 * raw deflate through the browser's CompressionStream when it has one, then base45. */
(function (global) {
  'use strict';

  var RULES = global.MADOGUCHI_RULES;
  var F = RULES.format;
  var B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

  function base45(bytes) {
    var out = '';
    for (var i = 0; i + 1 < bytes.length; i += 2) {
      var n = bytes[i] * 256 + bytes[i + 1];
      out += B45[n % 45] + B45[Math.floor(n / 45) % 45] + B45[Math.floor(n / 2025)];
    }
    if (bytes.length % 2) {
      var last = bytes[bytes.length - 1];
      out += B45[last % 45] + B45[Math.floor(last / 45)];
    }
    return out;
  }

  function toWire(field, value) {
    if (field.kind === 'date') return value.replace(/-/g, '');
    if (field.kind === 'sex') return RULES.sex_codes[value];
    return value;
  }

  function joinValues(fields, values) {
    var parts = fields.map(function (f) { return values[f.key] ? toWire(f, values[f.key]) : ''; });
    while (parts.length && !parts[parts.length - 1]) parts.pop();
    return parts.join(F.us);
  }

  /* The body text for canonical (validated) values. */
  function body(proc, values, groups, language) {
    var header = [proc.id, proc.fingerprint].concat(language ? [language] : []).join(F.us);
    var sections = [header, joinValues(proc.fields.filter(function (f) { return !f.group; }), values)];
    var groupNames = [];
    proc.fields.forEach(function (f) { if (f.group && groupNames.indexOf(f.group) < 0) groupNames.push(f.group); });
    groupNames.forEach(function (name) {
      var fields = proc.fields.filter(function (f) { return f.group === name; });
      sections.push((groups[name] || []).map(function (row) { return joinValues(fields, row); }).join(F.rs));
    });
    while (sections.length > 2 && !sections[sections.length - 1]) sections.pop();
    return sections.join(F.gs);
  }

  function deflateRaw(bytes) {
    if (typeof CompressionStream === 'undefined') return Promise.resolve(null);
    var stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
  }

  /* Promise of the MDG1 code text; rejects with {messageId: 'payload.error.too_large'} when too big. */
  function encode(procedureId, values, groups, language) {
    var proc = global.MadoguchiForms.procedure(procedureId);
    var data = new TextEncoder().encode(body(proc, values, groups || {}, language));
    return deflateRaw(data).then(function (compressed) {
      var useZ = compressed !== null && compressed.length < data.length;
      var code = F.prefix + F.version + ':' + (useZ ? 'Z' : 'U') + base45(useZ ? compressed : data);
      if (code.length > F.max_chars) throw { messageId: 'payload.error.too_large' };
      return code;
    });
  }

  global.MadoguchiPayload = { encode: encode, body: body, base45: base45 };
})(this);
