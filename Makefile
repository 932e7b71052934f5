# Two commands on a fresh machine: `make demo` and `make test`.
# Python 3.11 or 3.12: `make test PYTHON=python3.12 VENV=.venv-3.12` (or `make test-3.12`).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/demo

.PHONY: dashboard dashboard-demo demo test test-3.12 same-output test-seeds fidelity bench bench-quick clean system preview package-check test-postgres mutation

# Debian packages, installed as root only when missing (CI starts from a clean clone): fonts with
# every Vietnamese letter (Liberation Serif 2, the metric twin of Times New Roman, for the PDF
# notices), poppler (pdftoppm), LibreOffice for old .doc files and for second readings and
# renders of Word and Excel files; HarfBuzz's subsetter (WeasyPrint embeds fonts fast) and Pango
# (WeasyPrint's text layout) for the PDF notices; Chromium for the dashboard's browser tests
# (driven by Playwright's Python package with this browser: nothing downloads one). "a/b" is
# satisfied by either package (the -nogui and full LibreOffice packages exclude each other:
# whichever is there is kept). One list, one apt-get line: add to SYSTEM_PACKAGES. durable-rules
# has no wheel: pip builds it with a C compiler (gcc) and the headers of the Python that makes the
# venv (python3.X-dev, installed below when that Python has none: pyenv's carry their own).
# `dondoc doctor` names the same.
SYSTEM_PACKAGES := fonts-liberation2 fonts-dejavu-core poppler-utils \
	libreoffice-writer-nogui/libreoffice-writer libreoffice-calc-nogui/libreoffice-calc \
	libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gcc chromium
define install_missing
	@missing=$$(for alts in $(1); do \
		ok=; for p in $$(echo $$alts | tr "/" " "); do dpkg -s $$p 2>/dev/null | grep -q "^Status: install ok installed" && ok=1; done; \
		[ -n "$$ok" ] || echo $${alts%%/*}; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else echo "missing Debian packages (install as root): $$missing"; fi; \
	fi
endef
system:
	$(call install_missing,$(SYSTEM_PACKAGES))
	@$(PYTHON) -c 'import os, sys, sysconfig; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' || \
		if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(notdir $(PYTHON))-dev; \
		else echo "missing the headers of $(PYTHON) (install as root): $(notdir $(PYTHON))-dev"; fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# The demo: three nights of the 2026 plans into one store, as an office lives them (docs/history.md).
#  22/11: the first night drafts the letters (unnumbered); each office goes on from its own
#         register (Gia Lộc's next number is 412, An Biên's 187: dondoc never opens a register at
#         01 itself); the văn thư signs the drafts on 23/11 (numbers at signing) and sends them;
#  23/11: the second night writes no letter for what is unchanged (and only redrafts what changed);
#  02/12: the reply dates have passed unanswered: follow-ups citing the signed letters, and the
#         monitoring unit's letter lists what was put right (task 13, reported done on 27/11).
# And the plan for the second half of 2025 as of 22/11/2025, on its own (no store).
DEMO_PLANS := examples/gia-loc-2026 examples/quyet-thang-2026 examples/an-bien-2026
STORE ?= $(OUT)/kho-du-lieu.sqlite
demo: system $(STAMP)
	rm -f $(STORE)  # the demo's own store, made afresh: the three nights begin again
	$(BIN)/dondoc check $(DEMO_PLANS) --as-of 2026-11-22 --out $(OUT)/2026-11-22 --store $(STORE)
	$(BIN)/dondoc register start --store $(STORE) --next 412 --year 2026 --issuer "UBND xã Gia Lộc"
	$(BIN)/dondoc register start --store $(STORE) --next 187 --year 2026 --issuer "UBND phường An Biên"
	$(BIN)/dondoc letters sign --store $(STORE) --all --on 23/11/2026 --out $(OUT)/van-ban-di
	$(BIN)/dondoc letters sent --store $(STORE) --all --on 23/11/2026
	$(BIN)/dondoc check $(DEMO_PLANS) --as-of 2026-11-23 --out $(OUT)/2026-11-23 --store $(STORE)
	$(BIN)/dondoc check $(DEMO_PLANS) --as-of 2026-12-02 --out $(OUT)/2026-12-02 --store $(STORE)
	$(BIN)/dondoc register export --store $(STORE) --out $(OUT)/so-dang-ky-van-ban-di.xlsx
	$(BIN)/dondoc dashboard --store $(STORE) --out $(OUT)/dashboard
	$(BIN)/dondoc check examples/gia-phuc-2025 --as-of 2025-11-22 --out $(OUT)/2025
	@echo
	@echo "Ba đêm kiểm tra (22/11, 23/11, 02/12/2026): $(OUT)/2026-11-22/, $(OUT)/2026-11-23/, $(OUT)/2026-12-02/"
	@echo "  mỗi đêm: findings.json, run.json, notices/ (dự thảo công văn: .html, .docx, .pdf), summary/"
	@echo "Công văn đã ký, có số (23/11/2026): $(OUT)/van-ban-di/"
	@echo "Kho dữ liệu (lịch sử, công văn, sổ): $(STORE); dondoc letters list --store $(STORE)"
	@echo "Sổ đăng ký văn bản đi: $(OUT)/so-dang-ky-van-ban-di.xlsx"
	@echo "Kế hoạch 2025 (một đêm, không kho): $(OUT)/2025/"
	@echo "Trang theo dõi (ba đêm trong kho): $(OUT)/dashboard/index.html; của một tỉnh qua năm đêm: make dashboard-demo"

# The dashboard (docs/dashboard.md) of a store: make dashboard STORE=kho.sqlite [SITE=out/dashboard].
SITE ?= $(OUT)/dashboard
dashboard: $(STAMP)
	@test -n "$(STORE)" || { echo "make dashboard STORE=TỆP_HOẶC_URL [SITE=THƯ_MỤC]"; exit 2; }
	$(BIN)/dondoc dashboard --store $(STORE) --out $(SITE)

# The dashboard of the example plans and twelve plans of one province (bench/generate.py) over
# five weekly nights, each a `dondoc check --store` (tests/dashkit.py); prints where to open it.
DEMO_STORE := $(OUT)/dashboard-store/kho.sqlite
dashboard-demo: $(STAMP)
	rm -rf $(OUT)/dashboard-store && mkdir -p $(OUT)/dashboard-store
	$(BIN)/python -m tests.dashkit $(DEMO_STORE) --nights 5
	$(BIN)/dondoc dashboard --store $(DEMO_STORE) --out $(OUT)/dashboard-tinh

test: system $(STAMP)
	$(BIN)/python -m pytest

# The tests again on Python 3.12, in a venv of its own (CI runs both, .ci/run). Its python3.12:
# the one on PATH, else pyenv's (a pyenv whose global version is 3.11 has a python3.12 shim
# that does not run).
PYTHON312 = $(shell python3.12 -c '' 2>/dev/null && echo python3.12 || ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | tail -1)
test-3.12:
	@test -n "$(PYTHON312)" || (echo "Python 3.12 not found (python3.12 on PATH, or pyenv install 3.12)"; exit 1)
	$(MAKE) test PYTHON=$(PYTHON312) VENV=.venv-3.12

# 3.11 and 3.12 write the same bytes on examples/ (findings, run.json, every letter and summary).
same-output: system
	@test -n "$(PYTHON312)" || (echo "Python 3.12 not found (python3.12 on PATH, or pyenv install 3.12)"; exit 1)
	$(MAKE) $(STAMP)
	$(MAKE) .venv-3.12/.installed PYTHON=$(PYTHON312) VENV=.venv-3.12
	$(BIN)/python .ci/same-output $(BIN) .venv-3.12/bin

# How faithfully the importer reads the corpus of plans (docs/import.md, 6): one row per document.
fidelity: $(STAMP)
	$(BIN)/dondoc import tests/importer/corpus --report

# The tests that need the real seed plans beside the repository (../shared/seeds, which a clone
# has not): the copies in tests/importer/seeds are still those files byte for byte.
# SEEDS=DIR names another place.
test-seeds: $(STAMP)
	DONDOC_SEEDS=$(SEEDS) $(BIN)/python -m pytest -m seeds tests/importer/test_seeds.py

# The store's tests again on PostgreSQL (marker postgres; `make test` deselects them): each run
# makes a throwaway cluster in a temporary folder with Debian's initdb and pg_ctl, reachable by a
# Unix socket in that folder only, and removes it (tests/pgcluster.py). Only the server's
# programs are needed: on a machine where Debian's PostgreSQL is not installed yet, it is told
# not to make and start a cluster of its own (createcluster.d), and no role is made anywhere.
POSTGRES_PACKAGES := postgresql
test-postgres: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	@if [ "$$(id -u)" = 0 ] && ! dpkg -s postgresql-common >/dev/null 2>&1; then \
		mkdir -p /etc/postgresql-common/createcluster.d && \
		echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/dondoc-no-main-cluster.conf; fi
	$(call install_missing,$(POSTGRES_PACKAGES))
	$(BIN)/python -m pytest -m postgres

# Mutation testing (mutmut) of the engine, the derived facts, the notice classification, the
# register, the night layer, intake and `rules check`: long (docs/engine.md, "Mutation testing"),
# never part of `make test`. MODULES=engine/run.py for one.
MUTATION_STAMP := $(VENV)/.installed-mutation
$(MUTATION_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench,mutation]'
	touch $(MUTATION_STAMP)

mutation: system $(MUTATION_STAMP)
	$(BIN)/python .ci/mutation $(MODULES)

# The built wheel in a clean venv, run from outside the checkout (.ci/package-check).
package-check:
	PYTHON=$(PYTHON) .ci/package-check

# The national night (bench/national.py): 3,321 generated plans checked end to end at 100, 330,
# 1,000 and 3,321 plans, beside the peers; prints a table, writes out/bench/national.json.
bench: system $(STAMP)
	$(BIN)/python -m bench.national --compare-at $(or $(COMPARE_AT),3321)
	$(BIN)/python -m bench  # the parts apart: deadlines, the check in memory, one session, summaries, notices per format
	$(BIN)/python -m bench.dashboard  # the dashboard of the 3,321 plans over 30 nights: build time, page sizes

# The same at small sizes, for CI (tests/test_bench.py runs it smaller still).
bench-quick: system $(STAMP)
	$(BIN)/python -m bench.national --plans 120 --sizes 30,60,120 --out out/bench-quick --cold-runs 3 --summary-plans 10 --letters 40

# Every demo notice and summary as PNG pages in $(OUT)/preview/: the PDF (pdftoppm) and the .docx (LibreOffice).
PREVIEWED = $(OUT)/2026-11-22 $(OUT)/2026-12-02 $(OUT)/van-ban-di $(OUT)/2025
preview: demo
	rm -rf $(OUT)/preview && mkdir -p $(OUT)/preview/docx
	find $(PREVIEWED) -name '*.pdf' | while read f; do \
		n=$$(echo "$$f" | sed 's|^$(OUT)/||; s|/notices/|__|; s|/summary/|__|; s|/|__|g; s|\.pdf$$||'); pdftoppm -r 70 -png "$$f" "$(OUT)/preview/$$n"; done
	find $(PREVIEWED) -name '*.docx' | while read f; do \
		n=$$(echo "$$f" | sed 's|^$(OUT)/||; s|/notices/|__|; s|/summary/|__|; s|/|__|g'); cp "$$f" "$(OUT)/preview/docx/$$n"; done
	cd $(OUT)/preview/docx && soffice --headless --convert-to pdf *.docx >/dev/null
	for f in $(OUT)/preview/docx/*.pdf; do pdftoppm -r 70 -png "$$f" "$${f%.pdf}.docx"; done
	@echo "Ảnh các trang (pages as PNG): $(OUT)/preview/"

clean:
	rm -rf $(VENV) .venv-3.12 out .pytest_cache
