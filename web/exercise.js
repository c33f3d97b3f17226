// web/exercise.js -- exercise mode: the learner's manifests in an editor
// (CodeMirror 5, vendored from npm by scripts/build-web.sh) beside the
// window. Run (or a pause in typing) writes them into the program's
// in-memory files and asks it to run again (ksc_web_rerun: what a save is
// in the terminal); the goal checklist and the first error, at
// file:line:col, come back from ksc_web_goals.
'use strict';

function KubesimExercise(ex, Module) {
  var FS = Module.FS;
  var docs = {};            // 'k8s/x.yaml' -> CodeMirror.Doc
  var order = [];
  var current = null;
  var marks = [];           // the error shown: [doc, line handle, widget]
  var timer = null;
  var lastGoals = '';
  var runs = 0;
  var $ = function (id) { return document.getElementById(id); };

  var cm = CodeMirror($('editor'), {
    mode: 'yaml', lineNumbers: true, indentUnit: 2, tabSize: 2, indentWithTabs: false,
    extraKeys: {
      'Ctrl-Enter': function () { run(); }, 'Cmd-Enter': function () { run(); },
      Tab: function (c) { c.replaceSelection('  '); }
    }
  });

  function path(f) { return ex.dir + '/' + f; }

  function tab(f) {
    current = f;
    cm.swapDoc(docs[f]);
    Array.prototype.forEach.call($('tabs').children, function (b) {
      b.setAttribute('aria-selected', b.dataset.file === f ? 'true' : 'false');
    });
  }

  function addFile(f, text) {
    if (!docs[f]) {
      docs[f] = CodeMirror.Doc(text, 'yaml');
      docs[f].on('change', edited);
      order.push(f);
      var b = document.createElement('button');
      b.textContent = f.replace(/^k8s\//, '');
      b.dataset.file = f;
      b.setAttribute('role', 'tab');
      b.onclick = function () { tab(f); };
      $('tabs').appendChild(b);
    } else {
      docs[f].setValue(text);
    }
  }

  function edited() {
    clearTimeout(timer);
    timer = setTimeout(run, 1200);      // re-run on edit, once typing pauses
  }

  function clearError() {
    marks.forEach(function (m) { m[0].removeLineClass(m[1], 'background', 'error-line'); m[2].clear(); });
    marks = [];
  }

  // The note is "N of M goals met", or the first error as
  // FILE:LINE:COL: error: what, and what to do.
  function showError(note) {
    var m = /^(.*?):(\d+):(\d+): (?:error|warning): ([\s\S]*)$/.exec(note);
    if (!m) return false;
    var file = order.filter(function (f) { return m[1] === path(f) || m[1].endsWith('/' + f); })[0];
    if (!file) return true;
    var d = docs[file], line = Math.max(0, Math.min(d.lineCount() - 1, +m[2] - 1));
    if (current !== file) tab(file);
    var msg = document.createElement('div');
    msg.className = 'error-msg';
    msg.textContent = 'line ' + m[2] + ', column ' + m[3] + ': ' + m[4];
    var h = d.addLineClass(line, 'background', 'error-line');
    marks.push([d, h, d.addLineWidget(line, msg)]);
    return true;
  }

  function run() {
    clearTimeout(timer);
    order.forEach(function (f) { FS.writeFile(path(f), docs[f].getValue()); });
    clearError();
    runs++;
    lastGoals = null;                   // the next poll shows what came back
    $('note').textContent = 'running...';
    Module._ksc_web_rerun();
  }

  // Polled by the page: the checklist as the program has it now.
  function poll() {
    var text = Module.UTF8ToString(Module._ksc_web_goals());
    if (text === lastGoals) return;
    lastGoals = text;
    var lines = text.split('\n'), note = lines.shift();
    var ul = $('goals');
    ul.textContent = '';
    lines.forEach(function (l) {
      var p = l.split('\t'), li = document.createElement('li');
      if (p[0] === '1') li.className = 'met';
      li.textContent = p[1] || '';
      if (p[2]) {
        var h = document.createElement('span');
        h.className = 'hint';
        h.textContent = 'Hint: ' + p[2];
        li.appendChild(h);
      }
      ul.appendChild(li);
    });
    clearError();
    var err = showError(note);
    $('note').className = err ? 'error' : '';
    $('note').textContent = note;
  }

  function download() {
    order.forEach(function (f, i) {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([docs[f].getValue()], { type: 'application/yaml' }));
      a.download = f.split('/').pop();
      document.body.appendChild(a);
      setTimeout(function () { a.click(); a.remove(); }, 200 * i);
    });
  }

  function newFile() {
    var n = prompt('Name of the new file in k8s/ (e.g. secret.yaml):', 'new.yaml');
    if (!n) return;
    n = n.replace(/[^A-Za-z0-9._-]/g, '');
    if (!/\.(ya?ml|json)$/.test(n)) n += '.yaml';
    addFile('k8s/' + n, '');
    tab('k8s/' + n);
    cm.focus();
  }

  // The files of the exercise's solution/k8s/ into the editor (tests and
  // teachers), then a run.
  function loadSolution() {
    ex.solution.forEach(function (s) {
      var f = s.replace(/^solution\//, '');
      addFile(f, FS.readFile(path(s), { encoding: 'utf8' }));
    });
    tab(order[0]);
    run();
  }

  ex.files.forEach(function (f) { addFile(f, FS.readFile(path(f), { encoding: 'utf8' })); });
  if (order.length) tab(order[0]);
  $('task').textContent = ex.task;
  $('run').onclick = run;
  $('hint').onclick = function () { Module._ksc_web_hint(); };
  $('add').onclick = newFile;
  $('download').onclick = download;
  setTimeout(function () { cm.refresh(); }, 0);

  return {
    poll: poll, run: run, loadSolution: loadSolution,
    runs: function () { return runs; },
    text: function (f) { return docs[f || current].getValue(); },
    setText: function (f, t) { addFile(f, t); tab(f); },
    goals: function () { return lastGoals; }
  };
}
