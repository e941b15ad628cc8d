# Magang: the words people say. `make demo` and `make test` are the two commands in the README.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
# The stamp changes with the lock file, so a changed lock reinstalls and an unchanged one doesn't.
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('$(LOCK)','rb').read()).hexdigest()[:12])")
PYTEST_ARGS ?=
HOST ?= 127.0.0.1:8000

.PHONY: install demo serve test test-postgres lint format typecheck migrations-check check-deploy messages bench clean

$(STAMP): $(LOCK)
	@$(PYTHON) -c "import sys; sys.exit('Magang needs Python 3.11 or newer, found ' + sys.version.split()[0]) if sys.version_info < (3, 11) else None"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## demo: set up everything, build the demo programme once, print the accounts and serve on $(HOST)
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver $(HOST)

serve: install
	$(BIN)/python manage.py runserver $(HOST)

## test: the whole suite (SQLite unless DATABASE_URL says otherwise)
test: install
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## test-postgres: the same suite against the local PostgreSQL (a fresh test database per run)
test-postgres: install
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n 2 --create-db $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy magang config

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-only-for-the-check-not-a-real-key-0123456789 \
	DJANGO_ALLOWED_HOSTS=magang.example.go.id \
	MAGANG_FIELD_KEYS=$$($(BIN)/python -c "import base64, os; print('check:' + base64.urlsafe_b64encode(os.urandom(32)).decode())") \
	MAGANG_BLIND_INDEX_KEYS=$$($(BIN)/python -c "import base64, os; print('check:' + base64.urlsafe_b64encode(os.urandom(32)).decode())") \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## messages: extract translatable strings and compile the catalogues (needs GNU gettext)
messages: install
	$(BIN)/python manage.py makemessages -l id -l ja --no-obsolete --ignore=.venv --ignore=var --ignore="magang/*/tests/*" --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
