# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/demo

.PHONY: demo test bench clean system preview

# Debian packages the notices need (installed only when missing; CI starts from a clean clone):
# Liberation Serif 2, metric twin of Times New Roman with every Vietnamese letter; HarfBuzz's
# subsetter, so WeasyPrint embeds fonts fast; Pango, WeasyPrint's text layout.
DEBS := fonts-liberation2 libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# Only to look at notices as images (make preview): PDF to PNG, and LibreOffice for the .docx.
PREVIEW_DEBS := poppler-utils libreoffice-writer-nogui
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "apt-get install" $$missing; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

system:
	$(call apt_install,$(DEBS))

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The 2026 plans as of 22/11/2026; the plan for the second half of 2025 as of 22/11/2025.
demo: system $(STAMP)
	$(BIN)/dondoc check examples/gia-loc-2026 examples/quyet-thang-2026 examples/an-bien-2026 --as-of 2026-11-22 --out $(OUT)/2026
	$(BIN)/dondoc check examples/gia-phuc-2025 --as-of 2025-11-22 --out $(OUT)/2025
	@echo
	@echo "Công văn (notices): $(OUT)/2026/notices/ và $(OUT)/2025/notices/ (.html, .docx, .pdf; khổ A4)"
	@echo "Kết quả (findings):  $(OUT)/2026/findings.json và $(OUT)/2025/findings.json"

test: system $(STAMP)
	$(BIN)/python -m pytest

bench: system $(STAMP)
	$(BIN)/python -m bench

# Every demo notice as PNG pages in $(OUT)/preview/: the PDF (pdftoppm) and the .docx (LibreOffice).
preview: demo
	$(call apt_install,$(PREVIEW_DEBS))
	rm -rf $(OUT)/preview && mkdir -p $(OUT)/preview/docx
	find $(OUT)/2026/notices $(OUT)/2025/notices -name '*.pdf' | while read f; do \
		n=$$(echo "$$f" | sed 's|.*/notices/||; s|/|__|g; s|\.pdf$$||'); pdftoppm -r 70 -png "$$f" "$(OUT)/preview/$$n"; done
	find $(OUT)/2026/notices $(OUT)/2025/notices -name '*.docx' | while read f; do \
		n=$$(echo "$$f" | sed 's|.*/notices/||; s|/|__|g'); cp "$$f" "$(OUT)/preview/docx/$$n"; done
	cd $(OUT)/preview/docx && soffice --headless --convert-to pdf *.docx >/dev/null
	for f in $(OUT)/preview/docx/*.pdf; do pdftoppm -r 70 -png "$$f" "$${f%.pdf}.docx"; done
	@echo "Ảnh các trang (pages as PNG): $(OUT)/preview/"

clean:
	rm -rf $(VENV) out .pytest_cache
