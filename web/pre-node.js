// web/pre-node.js -- runs before kubesim's main under node (emcc --pre-js):
// the process's environment (KUBESIM_ASSETS and the like) as getenv sees it.
// DISPLAY is left out: under node there is no window.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  for (var k in process.env)
    if (k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY')
      ENV[k] = process.env[k];
});
