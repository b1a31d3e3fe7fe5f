# TradeBridge: a thin front door to Meson. The two set-up commands:
#   make demo    install what is missing, build, serve a demo on http://127.0.0.1:8080
#   make check   install what is missing, build with -Werror, run every suite,
#                then the unit and API suites again under ASan+UBSan
.PHONY: all build demo check deps deps-test clean fuzz

BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_CLANG ?= build-clang
DEMO_DB    ?= demo.db
LISTEN     ?= 127.0.0.1:8080
MESON_OPTS  = -Dwerror=true -Dbuildtype=debugoptimized

all: build

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	./$(BUILD)/tradebridge demo --db $(DEMO_DB) --force --listen $(LISTEN)

$(BUILD_ASAN)/build.ninja:
	meson setup $(BUILD_ASAN) $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false

$(BUILD_CLANG)/build.ninja:
	CC=clang meson setup $(BUILD_CLANG) $(MESON_OPTS) -Dapi_tests=false -De2e_tests=false

# gcc and clang must both build without a warning; generated files must be current.
# Every suite runs even when an earlier one failed; the last line sums them up.
check: deps-test $(BUILD)/build.ninja $(BUILD_ASAN)/build.ninja $(BUILD_CLANG)/build.ninja
	scripts/gen-entity-sql.py --check
	ninja -C $(BUILD)
	ninja -C $(BUILD_CLANG)
	ninja -C $(BUILD_ASAN)
	-meson test -C $(BUILD) --no-rebuild --print-errorlogs --num-processes 2
	-ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  TB_SANITIZED=1 meson test -C $(BUILD_ASAN) --no-rebuild --print-errorlogs --num-processes 2 \
	  --suite unit --suite api --timeout-multiplier 4
	@scripts/test-summary.py $(BUILD)/meson-logs/testlog.json $(BUILD_ASAN)/meson-logs/testlog.json

# libFuzzer (clang): make fuzz [FUZZ=name|all] [MINUTES=10]; see docs/fuzzing.md.
fuzz:
	scripts/fuzz.sh $(or $(FUZZ),all) $(or $(MINUTES),10)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_CLANG)
