# The two commands a newcomer needs: `make demo` and `make test`. Each installs whatever is missing first.
# The distribution's Python when there is one: Debian's and Ubuntu's are built with profile-guided and link-time
# optimisation (the hall server's start took ~20 % less CPU than under pyenv's plain build, docs/hall-server.md),
# and python3-dev and python3-venv (scripts/install-system-packages) belong to it.
# Older than the project's floor (3.11, pyproject.toml; Ubuntu 22.04 has 3.10), it is passed over for python3.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo /usr/bin/python3 || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP_SYS := $(VENV)/.stamp-system
STAMP_PY := $(VENV)/.stamp-python
AXE := tests/support/axe/node_modules/axe-core/axe.min.js

.PHONY: demo test install lint format typecheck bench clean lock notices wheelhouse

demo: install
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-} $(PY) -m madoguchi demo

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Bytecode written ahead, as an installed package has it: with PYTHONDONTWRITEBYTECODE set (CI images) every
# start would compile our modules again (~0.1 s of the server's start). Unchanged files are skipped.
install: $(STAMP_PY) $(AXE)
	@$(PY) -m compileall -q -j 0 madoguchi > /dev/null

# axe-core for the accessibility tests of the web pages, pinned by its lock file (integrity hash); fetched here,
# at install time, never while the tests run
$(AXE): tests/support/axe/package.json tests/support/axe/package-lock.json $(STAMP_SYS)
	npm ci --prefix tests/support/axe --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMP_SYS): scripts/install-system-packages
	bash scripts/install-system-packages
	@mkdir -p $(VENV) && touch $@

$(STAMP_PY): $(STAMP_SYS) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[dev,translate]'
	touch $@

# Hash-locked requirements of every production role (requirements/*.txt, docs/install.md). The client roles are
# locked for Linux and Windows at once; the server's machine translation for Linux x86-64 with PyTorch's CPU
# build (the index's Linux torch pulls ~3 GB of CUDA libraries a hall server never uses): TORCH_SOURCE says
# where uv finds that wheel.
ROLES := server kiosk staff board admin
TORCH_SOURCE ?= --index https://download.pytorch.org/whl/cpu --index-strategy unsafe-best-match
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"
lock: install
	for role in $(ROLES); do $(UV_COMPILE) --universal --extra $$role -o requirements/$$role.txt || exit 1; done
	$(UV_COMPILE) --python-platform x86_64-manylinux_2_28 --extra server --extra translate \
		--override requirements/torch-cpu.in $(TORCH_SOURCE) --no-emit-index-url --no-emit-find-links \
		-o requirements/translate.txt

# The generated table of THIRD_PARTY_NOTICES.md (tests/test_licences.py fails while it is out of date)
notices: install
	$(PY) tests/support/licences.py

# A folder that installs one role with no network: make wheelhouse ROLE=kiosk [PLATFORM=win_amd64]
ROLE ?= server
WHEELHOUSE ?= dist/wheelhouse-$(ROLE)$(if $(PLATFORM),-$(PLATFORM))
wheelhouse: install
	$(PY) scripts/wheelhouse $(ROLE) $(WHEELHOUSE) $(if $(PLATFORM),--platform $(PLATFORM))

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck:
	$(VENV)/bin/mypy

bench: install
	for b in bench/*.py; do $(PY) $$b; done

clean:
	rm -rf $(VENV) *.egg-info tests/artifacts dist tests/support/axe/node_modules
