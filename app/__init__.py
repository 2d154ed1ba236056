"""The application factory."""

import os
from pathlib import Path

from flask import Flask

from app import config as configuration
from app.core.startup_checks import check as check_configuration
from app.core.templating import Environment
from app.db import json_loads
from app.extensions import babel, bootstrap, csrf, db, limiter, migrate

ROOT = Path(__file__).resolve().parent.parent


class App(Flask):
    jinja_environment = Environment


def create_app(config: dict | None = None) -> Flask:
    app = App(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(configuration.Defaults)
    app.config.update(configuration.from_environment())
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config or {})
    configuration.finish(app.config, app.instance_path)
    engine_options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    engine_options.setdefault("json_deserializer", json_loads)
    # A connection the database dropped (restart, failover) is replaced before use instead of
    # failing the request that draws it from the pool.
    engine_options.setdefault("pool_pre_ping", True)

    _init_extensions(app)
    check_configuration(app.config)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.accounts.session import init_login
    from app.core import translations
    from app.core.errors import register_error_handlers
    from app.core.request_log import init_request_log
    from app.core.routing import register_converters
    from app.core.security import init_security
    from app.core.timefmt import register_filters

    init_request_log(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=lambda: app.config["BABEL_DEFAULT_LOCALE"],
        timezone_selector=lambda: app.config["TIMEZONE"],
    )
    translations.install(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    init_login(app)
    init_security(app)
    register_error_handlers(app)
    register_filters(app)
    register_converters(app)


def _register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts
    from app.api.views import bp as api
    from app.audit.views import bp as audit
    from app.campaigns import (  # noqa: F401  (routes of the campaigns blueprint)
        fill_views,
        visit_views,
    )
    from app.campaigns.views import bp as campaigns
    from app.certificates.views import bp as certificates
    from app.compendium.views import bp as compendium
    from app.contests import (  # noqa: F401  (routes of the contests blueprint)
        document_views,
        entry_views,
        judging_views,
        jury_views,
    )
    from app.contests.views import bp as contests
    from app.events.views import bp as events
    from app.health.views import bp as health
    from app.home.views import bp as home
    from app.organizations.views import bp as organizations
    from app.questionnaires.views import bp as questionnaires
    from app.registry.views import bp as registry
    from app.reports import (  # noqa: F401  (routes of the reports blueprint)
        check_views,
        template_views,
    )
    from app.reports.views import bp as reports
    from app.roadmap.views import bp as roadmap

    blueprints = (
        home, accounts, organizations, audit, questionnaires, campaigns, reports, contests,
        registry, roadmap, events, certificates, compendium, api, health,
    )  # fmt: skip
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import create_admin
    from app.backup.cli import backup, restore
    from app.demo.cli import demo
    from app.questionnaires.cli import forms
    from app.reports.cli import reports

    for command in (create_admin, demo, forms, reports, backup, restore):
        app.cli.add_command(command)
