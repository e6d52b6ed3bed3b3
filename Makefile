# Innovationsportföljen: `make run` serves the app, `make test` runs the whole suite.
# Both set everything up first: system packages (when root), the virtualenv, translations.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := libharfbuzz-subset0 poppler-utils chromium fonts-dejavu-core
FLASK := $(BIN)/flask --app portfolio

.PHONY: assets setup system-packages translations run test test-postgres db-upgrade demo extract-messages clean

setup: system-packages $(VENV)/.installed translations

system-packages:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages. Install them with:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d portfolio/translations -D messages >/dev/null

db-upgrade: setup
	$(FLASK) db upgrade

demo: db-upgrade
	$(FLASK) seed-demo --if-empty

run: demo
	@echo "Innovationsportföljen: http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

# The test OpenID provider (the `oidc-provider` npm package on Node.js), installed from the lock file.
OIDC_PROVIDER := tests/oidc/node_modules/.installed
$(OIDC_PROVIDER): tests/oidc/package.json tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

test: setup $(OIDC_PROVIDER)
	$(BIN)/python -m pytest

# The suite against a throwaway PostgreSQL cluster (started and stopped by the script).
test-postgres: setup $(OIDC_PROVIDER)
	bash scripts/with-postgres.sh $(BIN)/python -m pytest

# After changing user-facing strings: refresh the English catalogue, then translate the new entries.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o portfolio/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i portfolio/translations/messages.pot -d portfolio/translations -l en

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis

# Front-end assets: GOV.UK Frontend, Source Sans 3 and the app's Sass, built from the pinned npm
# packages (package-lock.json) into static/. The output is committed: run and test need no npm.
# static/fonts/paper (the PDF's TrueType fonts) is not built here and is kept.
FONT_FILES := $(foreach s,latin latin-ext,$(foreach w,400-normal 700-normal 400-italic,source-sans-3-$(s)-$(w).woff2))

assets:
	npm ci --no-audit --no-fund --ignore-scripts
	rm -rf static/css static/js static/fonts/*.woff2 static/fonts/LICENSE-source-sans-3.txt
	mkdir -p static/css static/js static/fonts
	npx --no-install sass --pkg-importer=node --style=compressed --no-source-map --no-error-css --quiet-deps \
	  --silence-deprecation=import assets/scss/app.scss static/css/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/js/govuk-frontend.min.js
	cp assets/js/app.js static/js/app.js
	for f in $(FONT_FILES); do cp node_modules/@fontsource/source-sans-3/files/$$f static/fonts/; done
	cp assets/NOTICE.txt static/NOTICE.txt
	cp node_modules/@fontsource/source-sans-3/LICENSE static/fonts/LICENSE-source-sans-3.txt
