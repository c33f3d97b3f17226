// web/pre.js -- runs before kubesim's main in the page (emcc --pre-js).
// The window's display check (render/kr_display.c) wants a display: the
// browser is one. SDL takes keys only while the canvas has the focus, so
// typing in the exercise editor never reaches the simulation.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  ENV['DISPLAY'] = ':0';
  ENV['SDL_EMSCRIPTEN_KEYBOARD_ELEMENT'] = '#canvas';
});
