/* QR Code encoder for the Madoguchi pre-fill site: alphanumeric mode only (the MDG1 code is base45 text),
 * error-correction level M, versions 1-40, automatic mask choice. Written for this project (ISO/IEC 18004);
 * the level-M block table was generated once from the standard's table. */
(function (global) {
  'use strict';

  var ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  /* per version (index 0 = version 1): [EC codewords per block, blocks in group 1, data codewords per block
   * in group 1, blocks in group 2, data codewords per block in group 2] at level M */
  var M_BLOCKS = [
    [10,1,16,0,0],[16,1,28,0,0],[26,1,44,0,0],[18,2,32,0,0],[24,2,43,0,0],[16,4,27,0,0],[18,4,31,0,0],
    [22,2,38,2,39],[22,3,36,2,37],[26,4,43,1,44],[30,1,50,4,51],[22,6,36,2,37],[22,8,37,1,38],
    [24,4,40,5,41],[24,5,41,5,42],[28,7,45,3,46],[28,10,46,1,47],[26,9,43,4,44],[26,3,44,11,45],
    [26,3,41,13,42],[26,17,42,0,0],[28,17,46,0,0],[28,4,47,14,48],[28,6,45,14,46],[28,8,47,13,48],
    [28,19,46,4,47],[28,22,45,3,46],[28,3,45,23,46],[28,21,45,7,46],[28,19,47,10,48],[28,2,46,29,47],
    [28,10,46,23,47],[28,14,46,21,47],[28,14,46,23,47],[28,12,47,26,48],[28,6,47,34,48],[28,29,46,14,47],
    [28,13,46,32,47],[28,40,47,7,48],[28,18,47,31,48]
  ];

  function dataCodewords(version) {
    var b = M_BLOCKS[version - 1];
    return b[1] * b[2] + b[3] * b[4];
  }

  function countBits(version) {
    return version <= 9 ? 9 : version <= 26 ? 11 : 13;
  }

  function segmentBits(length, version) {
    return 4 + countBits(version) + 11 * Math.floor(length / 2) + 6 * (length % 2);
  }

  /* The smallest version at level M that holds `length` alphanumeric characters, or 0 if none does. */
  function versionFor(length) {
    for (var v = 1; v <= 40; v++) {
      if (segmentBits(length, v) <= dataCodewords(v) * 8) return v;
    }
    return 0;
  }

  /* ---- Reed-Solomon over GF(256), polynomial 0x11D ---- */
  function gfMul(x, y) {
    var z = 0;
    for (var i = 7; i >= 0; i--) {
      z = (z << 1) ^ ((z >>> 7) * 0x11d);
      z ^= ((y >>> i) & 1) * x;
    }
    return z & 0xff;
  }

  function rsGenerator(degree) {
    var poly = [];
    for (var i = 0; i < degree - 1; i++) poly.push(0);
    poly.push(1);
    var root = 1;
    for (var k = 0; k < degree; k++) {
      for (var j = 0; j < poly.length; j++) {
        poly[j] = gfMul(poly[j], root);
        if (j + 1 < poly.length) poly[j] ^= poly[j + 1];
      }
      root = gfMul(root, 2);
    }
    return poly;
  }

  function rsRemainder(data, generator) {
    var rem = generator.map(function () { return 0; });
    data.forEach(function (byte) {
      var factor = byte ^ rem.shift();
      rem.push(0);
      for (var i = 0; i < generator.length; i++) rem[i] ^= gfMul(generator[i], factor);
    });
    return rem;
  }

  /* ---- data codewords ---- */
  function dataBytes(text, version) {
    var bits = [];
    function put(value, n) {
      for (var i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1);
    }
    put(2, 4); /* alphanumeric mode indicator 0010 */
    put(text.length, countBits(version));
    for (var i = 0; i + 1 < text.length; i += 2) {
      put(ALNUM.indexOf(text[i]) * 45 + ALNUM.indexOf(text[i + 1]), 11);
    }
    if (text.length % 2) put(ALNUM.indexOf(text[text.length - 1]), 6);
    var capacity = dataCodewords(version) * 8;
    put(0, Math.min(4, capacity - bits.length)); /* terminator */
    while (bits.length % 8) bits.push(0);
    var bytes = [];
    for (var b = 0; b < bits.length; b += 8) {
      var v = 0;
      for (var k = 0; k < 8; k++) v = (v << 1) | bits[b + k];
      bytes.push(v);
    }
    for (var pad = 0xec; bytes.length < capacity / 8; pad ^= 0xec ^ 0x11) bytes.push(pad);
    return bytes;
  }

  function interleave(data, version) {
    var spec = M_BLOCKS[version - 1];
    var generator = rsGenerator(spec[0]);
    var blocks = [];
    var offset = 0;
    var groups = [[spec[1], spec[2]], [spec[3], spec[4]]];
    groups.forEach(function (g) {
      for (var i = 0; i < g[0]; i++) {
        var d = data.slice(offset, offset + g[1]);
        offset += g[1];
        blocks.push({ data: d, ec: rsRemainder(d, generator) });
      }
    });
    var out = [];
    var maxData = Math.max(spec[2], spec[4]);
    for (var i = 0; i < maxData; i++) {
      blocks.forEach(function (bl) { if (i < bl.data.length) out.push(bl.data[i]); });
    }
    for (var j = 0; j < spec[0]; j++) {
      blocks.forEach(function (bl) { out.push(bl.ec[j]); });
    }
    return out;
  }

  /* ---- matrix ---- */
  function alignmentPositions(version) {
    if (version === 1) return [];
    var count = Math.floor(version / 7) + 2;
    var size = version * 4 + 17;
    var step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
    var result = [6];
    for (var pos = size - 7; result.length < count; pos -= step) result.splice(1, 0, pos);
    return result;
  }

  function Matrix(version) {
    this.version = version;
    this.size = version * 4 + 17;
    this.dark = [];
    this.fixed = [];
    for (var y = 0; y < this.size; y++) {
      this.dark.push(new Array(this.size).fill(false));
      this.fixed.push(new Array(this.size).fill(false));
    }
  }

  Matrix.prototype.setFunction = function (x, y, dark) {
    this.dark[y][x] = dark;
    this.fixed[y][x] = true;
  };

  Matrix.prototype.drawFunctionPatterns = function () {
    var size = this.size;
    for (var i = 0; i < size; i++) {
      this.setFunction(6, i, i % 2 === 0);
      this.setFunction(i, 6, i % 2 === 0);
    }
    var self = this;
    [[3, 3], [size - 4, 3], [3, size - 4]].forEach(function (c) {
      for (var dy = -4; dy <= 4; dy++) {
        for (var dx = -4; dx <= 4; dx++) {
          var x = c[0] + dx, y = c[1] + dy;
          if (x < 0 || y < 0 || x >= size || y >= size) continue;
          var dist = Math.max(Math.abs(dx), Math.abs(dy));
          self.setFunction(x, y, dist !== 2 && dist !== 4);
        }
      }
    });
    var pos = alignmentPositions(this.version);
    var n = pos.length;
    for (var a = 0; a < n; a++) {
      for (var b = 0; b < n; b++) {
        if ((a === 0 && b === 0) || (a === 0 && b === n - 1) || (a === n - 1 && b === 0)) continue;
        for (var ddy = -2; ddy <= 2; ddy++) {
          for (var ddx = -2; ddx <= 2; ddx++) {
            this.setFunction(pos[a] + ddx, pos[b] + ddy, Math.max(Math.abs(ddx), Math.abs(ddy)) !== 1);
          }
        }
      }
    }
    this.drawFormatBits(0); /* reserve the areas; real bits are drawn after masking */
    if (this.version >= 7) {
      var rem = this.version;
      for (var k = 0; k < 12; k++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
      var bits = (this.version << 12) | rem;
      for (var m = 0; m < 18; m++) {
        var bit = ((bits >>> m) & 1) === 1;
        var p = size - 11 + (m % 3), q = Math.floor(m / 3);
        this.setFunction(p, q, bit);
        this.setFunction(q, p, bit);
      }
    }
  };

  Matrix.prototype.drawFormatBits = function (mask) {
    var data = (0 << 3) | mask; /* level M = 00 */
    var rem = data;
    for (var i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    var bits = ((data << 10) | rem) ^ 0x5412;
    function bit(i) { return ((bits >>> i) & 1) === 1; }
    var size = this.size;
    for (var a = 0; a <= 5; a++) this.setFunction(8, a, bit(a));
    this.setFunction(8, 7, bit(6));
    this.setFunction(8, 8, bit(7));
    this.setFunction(7, 8, bit(8));
    for (var b = 9; b < 15; b++) this.setFunction(14 - b, 8, bit(b));
    for (var c = 0; c < 8; c++) this.setFunction(size - 1 - c, 8, bit(c));
    for (var d = 8; d < 15; d++) this.setFunction(8, size - 15 + d, bit(d));
    this.setFunction(8, size - 8, true); /* the dark module */
  };

  Matrix.prototype.placeData = function (codewords) {
    var size = this.size;
    var i = 0;
    for (var right = size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      for (var vert = 0; vert < size; vert++) {
        for (var j = 0; j < 2; j++) {
          var x = right - j;
          var upward = ((right + 1) & 2) === 0;
          var y = upward ? size - 1 - vert : vert;
          if (!this.fixed[y][x] && i < codewords.length * 8) {
            this.dark[y][x] = ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
            i++;
          }
        }
      }
    }
  };

  var MASKS = [
    function (x, y) { return (x + y) % 2 === 0; },
    function (x, y) { return y % 2 === 0; },
    function (x) { return x % 3 === 0; },
    function (x, y) { return (x + y) % 3 === 0; },
    function (x, y) { return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0; },
    function (x, y) { return (x * y) % 2 + (x * y) % 3 === 0; },
    function (x, y) { return ((x * y) % 2 + (x * y) % 3) % 2 === 0; },
    function (x, y) { return ((x + y) % 2 + (x * y) % 3) % 2 === 0; }
  ];

  Matrix.prototype.applyMask = function (mask) {
    for (var y = 0; y < this.size; y++) {
      for (var x = 0; x < this.size; x++) {
        if (!this.fixed[y][x] && MASKS[mask](x, y)) this.dark[y][x] = !this.dark[y][x];
      }
    }
  };

  function linePenalty(line) {
    var score = 0, run = 1;
    for (var i = 1; i <= line.length; i++) {
      if (i < line.length && line[i] === line[i - 1]) {
        run++;
      } else {
        if (run >= 5) score += 3 + (run - 5);
        run = 1;
      }
    }
    var s = line.map(function (d) { return d ? '1' : '0'; }).join('');
    var finderLike = /(?=(00001011101|10111010000))/g;
    var m;
    while ((m = finderLike.exec(s)) !== null) {
      score += 40;
      finderLike.lastIndex = m.index + 1;
    }
    return score;
  }

  Matrix.prototype.penalty = function () {
    var size = this.size, dark = this.dark, score = 0, count = 0;
    for (var y = 0; y < size; y++) {
      score += linePenalty(dark[y]);
      var column = [];
      for (var x = 0; x < size; x++) {
        column.push(dark[x][y]);
        if (dark[y][x]) count++;
        if (x + 1 < size && y + 1 < size) {
          var c = dark[y][x];
          if (c === dark[y][x + 1] && c === dark[y + 1][x] && c === dark[y + 1][x + 1]) score += 3;
        }
      }
      score += linePenalty(column);
    }
    var total = size * size;
    score += (Math.ceil(Math.abs(count * 20 - total * 10) / total) - 1) * 10;
    return score;
  };

  /* Encode alphanumeric text; returns {version, size, modules: boolean[][]}. Throws on other characters
   * or when the text does not fit a version-40 symbol. */
  function encodeAlphanumeric(text) {
    for (var i = 0; i < text.length; i++) {
      if (ALNUM.indexOf(text[i]) < 0) throw new Error('not alphanumeric');
    }
    var version = versionFor(text.length);
    if (!version) throw new Error('too long');
    var codewords = interleave(dataBytes(text, version), version);
    var best = null, bestScore = Infinity;
    for (var mask = 0; mask < 8; mask++) {
      var m = new Matrix(version);
      m.drawFunctionPatterns();
      m.placeData(codewords);
      m.applyMask(mask);
      m.drawFormatBits(mask);
      var score = m.penalty();
      if (score < bestScore) { best = m; bestScore = score; }
    }
    return { version: version, size: best.size, modules: best.dark };
  }

  /* Draw on a canvas with a 4-module quiet zone, whole pixels per module. */
  function drawQr(canvas, qr, maxPixels) {
    var modules = qr.size + 8;
    var scale = Math.max(2, Math.floor(maxPixels / modules));
    canvas.width = canvas.height = modules * scale;
    var ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000';
    for (var y = 0; y < qr.size; y++) {
      for (var x = 0; x < qr.size; x++) {
        if (qr.modules[y][x]) ctx.fillRect((x + 4) * scale, (y + 4) * scale, scale, scale);
      }
    }
  }

  global.MadoguchiQR = { encodeAlphanumeric: encodeAlphanumeric, drawQr: drawQr, versionFor: versionFor };
})(this);
