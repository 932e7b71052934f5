"""Fixtures shared by the test files: the store on SQLite, and on a real PostgreSQL server.

Every store test takes ``store_url`` and runs twice: on an SQLite file, and on a throwaway
PostgreSQL cluster (tests/pgcluster.py) with a database of its own. The PostgreSQL runs are
marked ``postgres``: `make test` deselects them (pyproject.toml's addopts), `make
test-postgres` (and CI after it) runs only them, on a cluster it makes and removes.
"""

from __future__ import annotations

import itertools

import pytest

_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster():
    from tests.pgcluster import Cluster

    cluster = Cluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(request):
    """A new, empty database on the throwaway cluster, dropped after the test."""
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"t{next(_names)}"
    cluster.admin(f"CREATE DATABASE {name}")
    yield cluster.url(name)
    cluster.admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """The store's URL: an SQLite file in the test's folder, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "so-dang-ky.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def dashboard_store(tmp_path_factory):
    """A store of the example plans and eight plans of one province over four weekly nights of
    ``dondoc check --store`` (tests/dashkit.py), and the site built from it."""
    from dondoc.dashboard.build import build
    from dondoc.store.store import Store
    from tests.dashkit import EXAMPLES, fill, nights, province_plans

    folder = tmp_path_factory.mktemp("dashboard")
    path = folder / "kho.sqlite"
    fill(path, nights(4), list(EXAMPLES) + province_plans(folder / "ke-hoach-tinh", 8))
    with Store.open(path, create=False) as store:
        built = build(store, folder / "site")
    return path, built
