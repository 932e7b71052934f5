# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/demo

.PHONY: demo test bench bench-quick clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The 2026 plans as of 22/11/2026; the plan for the second half of 2025 as of 22/11/2025.
demo: $(STAMP)
	$(BIN)/dondoc check examples/gia-loc-2026 examples/quyet-thang-2026 examples/an-bien-2026 --as-of 2026-11-22 --out $(OUT)/2026
	$(BIN)/dondoc check examples/gia-phuc-2025 --as-of 2025-11-22 --out $(OUT)/2025
	@echo
	@echo "Thông báo (notices): $(OUT)/2026/notices/ và $(OUT)/2025/notices/ (mở bằng trình duyệt, in khổ A4)"
	@echo "Kết quả (findings):  $(OUT)/2026/findings.json và $(OUT)/2025/findings.json"

test: $(STAMP)
	$(BIN)/python -m pytest

# The national night (bench/national.py): 3,321 generated plans checked end to end at 100, 330,
# 1,000 and 3,321 plans, beside the peers; prints a table, writes out/bench/national.json.
bench: $(STAMP)
	$(BIN)/python -m bench.national --compare-at $(or $(COMPARE_AT),3321)

# The same at small sizes, for CI (tests/test_bench.py runs it smaller still).
bench-quick: $(STAMP)
	$(BIN)/python -m bench.national --plans 120 --sizes 30,60,120 --out out/bench-quick --cold-runs 3

clean:
	rm -rf $(VENV) out .pytest_cache
