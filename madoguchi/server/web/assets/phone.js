// The phone page follows its own ticket: Server-Sent Events from /t/<token>/events, or the same address polled
// as JSON where a stream does not stay open. Every text comes rendered from the server in the resident's
// language; this script only puts it in place and, once the resident has allowed it with one tap, rings
// (sound, vibration, a notification) when three or fewer are ahead and when the number is called.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('phone-data').textContent);
  var statusEl = document.getElementById('status');
  var routeEl = document.getElementById('route');  // a visit's whole route (absent for one procedure)
  var updatedEl = document.getElementById('updated');
  var offlineEl = document.getElementById('offline');
  var alertsButton = document.getElementById('alerts');
  var controls = document.getElementById('controls');
  var store = window.sessionStorage;
  var here = 'madoguchi:' + location.pathname;
  var audio = null;
  var alertsOn = false;
  var rung = {};
  var source = null;
  var pollTimer = null;
  var last = data.message;
  window.madoguchiAlerts = [];

  try { rung = JSON.parse(store.getItem(here + ':rung') || '{}'); } catch (err) { rung = {}; }

  function tone(freqs, seconds) {
    if (!audio) return false;
    var t = audio.currentTime;
    freqs.forEach(function (f, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, t + i * seconds);
      gain.gain.exponentialRampToValueAtTime(0.4, t + i * seconds + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + (i + 1) * seconds);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(t + i * seconds);
      osc.stop(t + (i + 1) * seconds + 0.05);
    });
    return audio.state === 'running';
  }

  function ring(message) {
    var called = message.alert === 'called';
    var done = [];
    if (tone(called ? [880, 660, 880, 660] : [660, 880], called ? 0.35 : 0.3)) done.push('sound');
    if (navigator.vibrate && navigator.vibrate(called ? [400, 150, 400, 150, 400] : [200, 100, 200])) {
      done.push('vibrate');
    }
    if (window.Notification && Notification.permission === 'granted') {
      try {
        new Notification(message.title, {body: message.notify || '', tag: here, renotify: true});
        done.push('notification');
      } catch (err) { /* a phone that shows notifications only from a service worker */ }
    }
    document.body.classList.add('ringing');
    document.body.dataset.rang = message.key;
    window.madoguchiAlerts.push({key: message.key, kind: message.alert, by: done});
  }

  function apply(message) {
    last = message;
    statusEl.innerHTML = message.html;  // rendered and escaped by the server
    if (routeEl && message.route) routeEl.innerHTML = message.route;  // the same
    document.body.dataset.step = message.step || '';
    updatedEl.textContent = message.updated;
    document.title = message.title;
    document.body.dataset.state = message.state;
    if (message.alert && message.key && !rung[message.key]) {
      if (alertsOn) ring(message);
      rung[message.key] = 1;
      store.setItem(here + ':rung', JSON.stringify(rung));
    }
    if (message.final) {
      stop();
      if (controls) controls.hidden = true;
    }
  }

  function online(up) {
    if (offlineEl) offlineEl.hidden = up;
  }

  function poll() {
    fetch(data.events, {headers: {Accept: 'application/json'}, cache: 'no-store'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (message) { if (message) { online(true); apply(message); } })
      .catch(function () { online(false); });
  }

  function startPolling() {
    if (!pollTimer) pollTimer = setInterval(poll, 10000);
  }

  function stop() {
    if (source) { source.close(); source = null; }
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(data.events);
    source.addEventListener('status', function (ev) { online(true); apply(JSON.parse(ev.data)); });
    source.addEventListener('alive', function (ev) { online(true); updatedEl.textContent = JSON.parse(ev.data); });
    source.addEventListener('end', function () { stop(); });
    source.onopen = function () {
      online(true);
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    };
    source.onerror = function () {
      online(false);
      if (source && source.readyState === EventSource.CLOSED) {
        // the stream was refused (a proxy that buffers, too many pages): poll, and try the stream again later
        source = null;
        startPolling();
        setTimeout(function () { if (!last.final) connect(); }, 60000);
      }
    };
  }

  function setAlerts(on) {
    alertsOn = on;
    alertsButton.setAttribute('aria-pressed', on ? 'true' : 'false');
    alertsButton.innerHTML = on ? data.texts.alertsOn : data.texts.alertsEnable;  // rendered and escaped by the server
    store.setItem(here + ':alerts', on ? '1' : '0');
  }

  if (alertsButton) {
    alertsButton.hidden = false;
    alertsButton.addEventListener('click', function () {
      if (alertsOn) { setAlerts(false); return; }
      // created in the tap itself: browsers let a page sound only after a gesture
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (Ctx && !audio) audio = new Ctx();
      if (audio && audio.resume) audio.resume();
      tone([880], 0.15);  // a short beep: the resident hears what the alert will sound like
      if (navigator.vibrate) navigator.vibrate(100);
      if (window.Notification && Notification.permission === 'default') Notification.requestPermission();
      setAlerts(true);
    });
    // after a reload the sound needs a new tap; vibration and notifications work without one
    if (store.getItem(here + ':alerts') === '1') setAlerts(true);
  }

  apply(data.message);
  if (!data.message.final) connect();
})();
