// web/page.js -- kubesim's page: the lesson picker, and a lesson or an
// exercise in the window (the same C program, compiled to WebAssembly:
// kubesim.js/.wasm, its files in kubesim.data).
// Links: #lesson=07-pvc-postgres&t=45s  (t: where the window opens)
//        #exercise=01-keep-postgres-data
//        #test=07-pvc-postgres  (`kubesim test` of the lesson in this
//        browser: its verdict and fingerprint, to compare with the native
//        build's; scripts/test-web.sh does)
// One lesson per page load: another link loads the page afresh.
// window.kubesim is for tests and the curious: now(), caption(), ready,
// error, and the exercise's functions.
'use strict';

(function () {
  var $ = function (id) { return document.getElementById(id); };
  var api = window.kubesim = { ready: false, error: null };

  function parseHash() {
    var o = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf('=');
      o[decodeURIComponent(i < 0 ? kv : kv.slice(0, i))] =
        i < 0 ? '' : decodeURIComponent(kv.slice(i + 1));
    });
    return o;
  }
  window.addEventListener('hashchange', function () { location.reload(); });

  function capital(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : ''; }

  function card(href, num, title, text) {
    var li = document.createElement('li'), a = document.createElement('a');
    var b = document.createElement('b'), n = document.createElement('span');
    var small = document.createElement('small');
    a.href = href;
    n.className = 'num';
    n.textContent = num;
    b.appendChild(n);
    b.appendChild(document.createTextNode(title));
    small.textContent = text;
    a.appendChild(b);
    a.appendChild(small);
    li.appendChild(a);
    return li;
  }

  function picker(list) {
    $('picker').hidden = false;
    list.lessons.forEach(function (l) {
      $('lessons').appendChild(card('#lesson=' + l.id, l.id.split('-')[0], l.title,
        capital(l.teaches) + (l.duration ? ' (' + l.duration + ')' : '')));
    });
    list.exercises.forEach(function (e) {
      $('exercises').appendChild(card('#exercise=' + e.id, e.id.split('-')[0], e.title, e.task));
    });
    api.ready = true;
  }

  // Text and cards grow with the window: 1 at 1600x900 CSS pixels (the
  // canvas has one pixel per CSS pixel: SDL's window is not high-DPI).
  function scaleFor(w, h) {
    return Math.max(0.75, Math.min(1.6, Math.min(w / 1600, h / 900)));
  }

  function fail(msg) {
    api.error = msg;
    $('status').hidden = false;
    $('status').textContent = msg;
  }

  function play(list, h) {
    var lesson = null, ex = null, exercise = null, testing = h.test !== undefined;
    if (h.lesson !== undefined || testing)
      lesson = list.lessons.filter(function (l) { return l.id === (testing ? h.test : h.lesson); })[0];
    else
      ex = list.exercises.filter(function (e) { return e.id === h.exercise; })[0];
    if (!lesson && !ex) {
      $('picker').hidden = false;
      picker(list);
      $('picker').insertBefore(document.createTextNode('No lesson or exercise is called "' +
        (h.lesson || h.exercise || h.test) + '"; pick one below.'), $('picker').children[1]);
      return;
    }
    $('play').hidden = false;
    $('exercise').hidden = !ex;
    $('title').textContent = (lesson || ex).title;
    document.title = (lesson || ex).title + ' -- kubesim';

    var canvas = $('canvas');
    var Module = window.Module = {
      canvas: canvas,
      print: function (t) { console.log(t); },
      printErr: function (t) { console.warn(t); },
      setStatus: function (t) { if (t) $('status').textContent = t; },
      onAbort: function (what) { fail('kubesim stopped: ' + what); },
      onRuntimeInitialized: start
    };

    // `kubesim test LESSON` here: the verdict as JSON in window.kubesim.verdict
    function selftest() {
      try {
        Module.callMain(['test', lesson.file, '-q', '--json', '/tmp/verdict.jsonl']);
      } catch (e) {
        if (e !== 'unwind' && !(e && e.name === 'ExitStatus')) throw e;
      }
      try {
        api.verdict = JSON.parse(Module.FS.readFile('/tmp/verdict.jsonl', { encoding: 'utf8' }));
        $('status').textContent = 'kubesim test ' + lesson.id + ': ' + api.verdict.verdict +
          ', fingerprint ' + api.verdict.fingerprint;
      } catch (e) {
        fail('kubesim test wrote no verdict: ' + e);
      }
      api.ready = true;
    }

    function start() {
      var box = $('canvasbox');
      if (testing) return selftest();
      var w = Math.max(320, Math.round(box.clientWidth)), hh = Math.max(240, Math.round(box.clientHeight));
      var args = lesson ? ['run', lesson.file] : ['exercise', ex.dir];
      args.push('--size', w + 'x' + hh, '--scale', scaleFor(w, hh).toFixed(2));
      if (lesson && h.t) args.push('--start', h.t);
      $('status').hidden = true;
      if (ex) exercise = KubesimExercise(ex, Module);
      try {
        Module.callMain(args);
      } catch (e) {
        if (e !== 'unwind' && !(e && e.name === 'ExitStatus')) throw e;
      }
      if (Module._kr_web_now() < 0) {
        fail('kubesim could not open its window (' + args.join(' ') + '); the browser\'s console says why.');
        return;
      }
      canvas.focus();
      api.ready = true;
      window.addEventListener('resize', function () {
        Module._kr_web_set_scale(scaleFor(box.clientWidth, box.clientHeight));
      });
      setInterval(poll, 250);
      poll();
    }

    function poll() {
      var t = Module._kr_web_now();
      if (t < 0 && $('status').hidden) {      // the learner quit (Ctrl+Q)
        $('status').hidden = false;
        $('status').textContent = 'The window was closed: reload the page to play again.';
      }
      $('caption').textContent = Module.UTF8ToString(Module._kr_web_caption());
      $('clock').textContent = t >= 0 ? t.toFixed(1) + ' s' : '';
      if (exercise) exercise.poll();
    }

    api.now = function () { return Module._kr_web_now(); };
    api.caption = function () { return Module.UTF8ToString(Module._kr_web_caption()); };
    api.exercise = function () { return exercise; };

    var s = document.createElement('script');
    s.src = 'kubesim.js';
    s.onerror = function () { fail('kubesim.js did not load: build the site with scripts/build-web.sh'); };
    document.body.appendChild(s);
  }

  fetch('lessons.json').then(function (r) {
    if (!r.ok) throw new Error('lessons.json: HTTP ' + r.status);
    return r.json();
  }).then(function (list) {
    var h = parseHash();
    if (h.lesson !== undefined || h.exercise !== undefined || h.test !== undefined) play(list, h);
    else picker(list);
  }).catch(function (e) {
    document.body.textContent = 'kubesim: ' + e.message +
      ' (serve this folder over http, e.g. python3 -m http.server)';
    api.error = String(e);
  });
})();
