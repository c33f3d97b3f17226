# web/web.mk -- kubesim's C sources compiled for WebAssembly (emcc); run by
# scripts/build-web.sh, which sets ROOT, OUT (build-web) and PREFIX (the
# dependencies built for wasm, ~/.cache/kubesim-web/KEY/prefix).
# Two programs from the same objects: kubesim.js/.wasm/.data for the page
# (the window; lessons, exercises and fonts preloaded), and kubesim-node.js
# (the real file system, for `kubesim test` under node).
# server/ (HTTP, TLS) is left out: web/serve_none.c says so.
SIM_SRCS := $(shell find $(ROOT)/sim -name '*.c' | sort)
RENDER_SRCS := $(sort $(wildcard $(ROOT)/render/*.c))
CLI_SRCS := $(filter-out $(addprefix $(ROOT)/cli/,cmd_serve.c serve_load.c serve_run.c serve_window.c record.c),\
              $(sort $(wildcard $(ROOT)/cli/*.c))) $(ROOT)/web/serve_none.c
SRCS := $(SIM_SRCS) $(RENDER_SRCS) $(CLI_SRCS)
OBJS := $(patsubst $(ROOT)/%.c,$(OUT)/obj/%.o,$(SRCS))

CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Wshadow -Wstrict-prototypes -MMD -MP \
  -I$(ROOT)/sim -I$(OUT)/generated -I$(PREFIX)/include -I$(PREFIX)/include/SDL2 \
  -DKUBESIM_GUI=1 -DKUBESIM_ASSETS_DIR='"/assets"' -DKUBESIM_SCENARIOS_DIR='"/scenarios"'
LIBS := -L$(PREFIX)/lib -lyaml -lSDL2_ttf -lfreetype -lSDL2 -lpng16 -lz -lm
EXPORTS := _main,_kr_web_now,_kr_web_caption,_kr_web_set_scale,_ksc_web_rerun,_ksc_web_goals,_ksc_web_hint
LDFLAGS := -O2 -sALLOW_MEMORY_GROWTH=1

all: $(OUT)/app/kubesim.js $(OUT)/node/kubesim-node.js

$(OUT)/generated/version.h: $(ROOT)/cli/version.h.in $(ROOT)/CMakeLists.txt
	@mkdir -p $(dir $@)
	v=$$(sed -n 's/^project(kubesim VERSION \([0-9.]*\).*/\1/p' $(ROOT)/CMakeLists.txt); \
	  sed "s/@PROJECT_VERSION@/$$v/" $< > $@

$(OUT)/obj/%.o: $(ROOT)/%.c $(OUT)/generated/version.h
	@mkdir -p $(dir $@)
	emcc $(CFLAGS) -c $< -o $@

# The page's program: no blocking loop (the browser's frame callback drives
# kr_app_frame), main started by the page (INVOKE_RUN=0) with its arguments.
$(OUT)/app/kubesim.js: $(OBJS) $(ROOT)/web/pre.js $(shell find $(ROOT)/scenarios $(ROOT)/assets -type f)
	@mkdir -p $(dir $@)
	emcc $(LDFLAGS) $(OBJS) $(LIBS) -sINVOKE_RUN=0 -sEXIT_RUNTIME=0 -sENVIRONMENT=web \
	  -sEXPORTED_FUNCTIONS=$(EXPORTS) \
	  -sEXPORTED_RUNTIME_METHODS=callMain,FS,UTF8ToString \
	  --pre-js $(ROOT)/web/pre.js \
	  --preload-file $(ROOT)/assets@/assets --preload-file $(ROOT)/scenarios@/scenarios \
	  -o $@

# kubesim under node, on the real file system (NODERAWFS), headless.
$(OUT)/node/kubesim-node.js: $(OBJS) $(ROOT)/web/pre-node.js
	@mkdir -p $(dir $@)
	emcc $(LDFLAGS) $(OBJS) $(LIBS) -sNODERAWFS=1 -sEXIT_RUNTIME=1 -sENVIRONMENT=node \
	  -sWASM_ASYNC_COMPILATION=0 --pre-js $(ROOT)/web/pre-node.js -o $@

-include $(OBJS:.o=.d)
